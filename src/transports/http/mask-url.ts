/**
 * URLs in messages without their credentials. A password that was not percent-encoded may hold `/`, `?`, `#` or `@`,
 * which ends the authority early for a URL parser (so `new URL` throws, and the raw text is what a message would
 * show): everything up to the last `@` is treated as credentials. That may hide more than needed, never less.
 *
 * @module
 */

/**
 * @internal The text of a URL, valid or not, with anything that may be credentials replaced by `***`.
 *
 * @example
 * ```ts
 * maskUrl('https://user:pa/ss@csr.example/hook') // 'https://***@csr.example/hook'
 * ```
 */
export function maskUrl(value: string): string {
  const scheme = /^[a-z][a-z\d+.-]*:\/\//i.exec(value);
  const start = scheme === null ? 0 : scheme[0].length;
  const at = value.lastIndexOf('@');
  if (at < start) return value;
  return `${value.slice(0, start)}***@${value.slice(at + 1)}`;
}

/**
 * @internal Where a request went, for messages: origin and path, without credentials or query (a query may carry a
 * token).
 *
 * @example
 * ```ts
 * endpointOf(new URL('https://u:p@csr.example/hook?token=x')) // 'https://csr.example/hook'
 * ```
 */
export function endpointOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
