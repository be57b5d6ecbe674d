/**
 * A few ANSI styles, or none: whether a stream gets them is decided once, in `io.ts`.
 *
 * @module
 */

/**
 * Style functions; each returns its text unchanged when colours are off.
 *
 * @example `stdout.write(color.green('ok') + '\n')`
 */
export interface Palette {
  readonly enabled: boolean;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

const style =
  (open: number, close: number) =>
  (text: string): string =>
    `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string): string => text;

/**
 * The styles, on or off.
 *
 * @example `palette(false).red('FAIL') // 'FAIL'`
 */
export function palette(enabled: boolean): Palette {
  if (!enabled) {
    return { enabled, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  }
  return {
    enabled,
    bold: style(1, 22),
    dim: style(2, 22),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    cyan: style(36, 39),
  };
}
