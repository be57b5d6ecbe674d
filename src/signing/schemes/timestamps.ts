/**
 * Timestamp texts the schemes use: unix seconds, and ISO-8601 UTC.
 *
 * @module
 */

const UNIX_SECONDS_MAX_DIGITS = 12;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Whole seconds since the epoch, as the Standard Webhooks spec and the platform write them.
 *
 * @example `formatUnixSeconds(new Date(1_500)) // '1'`
 */
export function formatUnixSeconds(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}

/**
 * Milliseconds from a unix-seconds text, or `undefined`.
 *
 * @example `parseUnixSeconds('1614265330') // 1614265330000`
 */
export function parseUnixSeconds(text: string): number | undefined {
  if (text.length === 0 || text.length > UNIX_SECONDS_MAX_DIGITS) return undefined;
  const seconds = digits(text, 0, text.length);
  return seconds < 0 ? undefined : seconds * 1000;
}

/**
 * ISO-8601 UTC with milliseconds, e.g. `2026-11-26T17:03:42.123Z`.
 *
 * @example `formatIsoTimestamp(new Date(0)) // '1970-01-01T00:00:00.000Z'`
 */
export function formatIsoTimestamp(date: Date): string {
  return date.toISOString();
}

const CANONICAL_LENGTH = 24; // 2026-01-01T00:00:00.000Z, what toISOString writes
const ZERO = 48;

/** The decimal value of `text[start..end)`, or -1 when a character is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

// The verifier's hot path: the form every teei-v1 signer writes, read without a regex or Date.parse. Like
// Date.parse, it lets a day past the month's end roll over (2026-02-30 is 2026-03-02): the text is what is signed.
function parseCanonical(text: string): number | undefined {
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return undefined;
  if (text[19] !== '.' || text[23] !== 'Z') return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  const ms = digits(text, 20, 23);
  // Date.UTC reads years 0 to 99 as 1900 to 1999: those take the Date.parse path below.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * Milliseconds from an ISO-8601 date-time with a `Z` or numeric offset, or `undefined`.
 *
 * @example `parseIsoTimestamp('1970-01-01T00:00:01.000Z') // 1000`
 */
export function parseIsoTimestamp(text: string): number | undefined {
  if (text.length === CANONICAL_LENGTH) {
    const canonical = parseCanonical(text);
    if (canonical !== undefined) return canonical;
  }
  if (!ISO_8601.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
