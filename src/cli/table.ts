/**
 * A plain text table: columns padded to their widest cell, colour codes not counted.
 *
 * @module
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ANSI escape character is the point
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * The printed width of a cell.
 *
 * @example `visibleLength('\x1b[32mok\x1b[39m') // 2`
 */
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/**
 * Rows as aligned lines, two spaces between columns; the last column is not padded.
 *
 * @example `renderTable([['probe', 'status'], ['valid event', '202']]) // 'probe        status\nvalid event  202'`
 */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
