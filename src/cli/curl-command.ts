/**
 * A ready-to-run curl command for a signed request, quoted for a POSIX shell.
 *
 * @module
 */

/**
 * A shell word: single-quoted unless it is plainly safe.
 *
 * @example `shellQuote("it's") // 'it'\''s'`
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `curl` posting `body` with `headers`: read from `file` when given, else inlined.
 *
 * @example `curlCommand('http://127.0.0.1:3000/webhooks/buddy-events', headers, { file: 'event.json' })`
 */
export function curlCommand(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: { readonly file: string } | { readonly text: string },
): string {
  const lines = [`curl -sS -X POST ${shellQuote(url)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  // --data-binary @file sends the file's exact bytes; --data-raw sends the text as given (a leading @ included).
  lines.push('file' in body ? `--data-binary ${shellQuote(`@${body.file}`)}` : `--data-raw ${shellQuote(body.text)}`);
  return lines.join(' \\\n  ');
}
