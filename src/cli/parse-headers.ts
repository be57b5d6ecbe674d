/**
 * Headers as a person pastes them: `Name: value` lines (what `event-relay sign` prints, or a request head copied
 * from a log, its request line included) or a JSON object (what `sign --json` prints).
 *
 * @module
 */
import { UsageError } from './cli-errors.js';

/**
 * Headers from text: a JSON object, or `Name: value` lines. A request or status line (`POST /path HTTP/1.1`) and
 * blank lines are skipped.
 *
 * @throws {UsageError} naming the line that is neither.
 * @example `parseHeaderText('X-Webhook-Id: 1\nX-Webhook-Signature: sha256=…', 'verify', '--headers')`
 */
export function parseHeaderText(text: string, command: string, source: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new UsageError(command, `${source}: not valid JSON`);
    }
    const headers: Record<string, string> = {};
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new UsageError(command, `${source}: the value of ${name} must be a string`);
      headers[name.toLowerCase()] = v;
    }
    return headers;
  }
  const headers: Record<string, string> = {};
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '' || /^\S+ \S+ HTTP\/\d|^HTTP\/\d/.test(line)) continue;
    addHeaderLine(headers, line, command, `${source} line ${index + 1}`);
  }
  return headers;
}

/**
 * Adds one `Name: value` line; a repeated name is joined with `, ` as HTTP does.
 *
 * @throws {UsageError} when the line has no `:` or no name.
 * @example `addHeaderLine(headers, 'X-Webhook-Id: 1', 'verify', '-H')`
 */
export function addHeaderLine(headers: Record<string, string>, line: string, command: string, source: string): void {
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
  if (name === '' || /\s/.test(name)) {
    throw new UsageError(command, `${source}: expected "Name: value", got ${JSON.stringify(line.slice(0, 60))}`);
  }
  const value = line.slice(colon + 1).trim();
  headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
}
