/**
 * Counted nouns for the command line's messages.
 *
 * @module
 */

/**
 * `1 entry`, `3 entries`.
 *
 * @example `plural(2, 'attempt') // '2 attempts'`
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
