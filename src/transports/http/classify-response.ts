/**
 * HTTP answer → transport result. 2xx succeeds; 408, 409, 425, 429 and 5xx are worth retrying (409 is the receiver's
 * "this event is still being handled", answered to a duplicate that arrives while the first delivery runs); every
 * other status is permanent (3xx included: a webhook endpoint that redirects is misconfigured, and following it would re-send a
 * signed body to another host). 410 Gone gets its own code, `endpoint_gone`, for logs and metrics.
 *
 * @module
 */

import { parseRetryAfter } from '../../delivery/retry-after.js';
import type { TransportResult } from '../../delivery/transport.js';
import { TransportError } from '../../errors.js';

const RETRYABLE_STATUSES = new Set([408, 409, 425, 429]);

/**
 * Whether a failed answer with this status may succeed on a later attempt.
 *
 * @example
 * ```ts
 * isRetryableStatus(503) // true
 * isRetryableStatus(409) // true: the receiver is still handling this event id; its Retry-After says when to retry
 * isRetryableStatus(422) // false
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || RETRYABLE_STATUSES.has(status);
}

/** What to check first after a permanent answer. */
const HINTS: Readonly<Record<number, string>> = {
  401: 'the receiver refused the signature: check that both sides use the same secret and scheme',
  403: 'the receiver refused this sender',
  404: 'nothing answers at this path: check the url',
  405: 'the receiver does not take POST at this path: check the url',
  410: 'the receiver says this endpoint is retired',
  413: "the event is larger than the receiver's body limit",
  415: 'the receiver refused the content type',
};

/**
 * @internal Builds the result of an answer. `bodySnippet` (at most a few hundred bytes of a failed answer) lends its
 * JSON `error` code to the message; nothing else of the body is kept. `endpoint` is the origin and path (no
 * credentials, no query), so a 404 says which path was missing.
 * @example
 * ```ts
 * classifyResponse(503, '2', '', 'https://csr.example/webhooks/buddy-events') // { ok: false, retryable: true, retryAfterMs: 2000, ... }
 * ```
 */
export function classifyResponse(
  status: number,
  retryAfter: string | null | undefined,
  bodySnippet: string,
  endpoint: string,
): TransportResult {
  if (status >= 200 && status < 300) return { ok: true, status };
  const retryable = isRetryableStatus(status);
  const code = status === 410 ? 'endpoint_gone' : `http_${status}`;
  const reason = errorCodeOf(bodySnippet);
  const hint = HINTS[status];
  const text = `HTTP ${status}${reason ? ` (${reason})` : ''} from ${endpoint}${hint ? `: ${hint}` : ''}`;
  const error = new TransportError(code, text, { status });
  const retryAfterMs = retryable ? parseRetryAfter(retryAfter) : undefined;
  return retryAfterMs === undefined
    ? { ok: false, retryable, status, error }
    : { ok: false, retryable, status, retryAfterMs, error };
}

function errorCodeOf(snippet: string): string | undefined {
  if (snippet === '' || snippet[0] !== '{') return undefined;
  try {
    const code = (JSON.parse(snippet) as { error?: unknown }).error;
    // Only a short identifier: a receiver's free text is not copied into our logs.
    return typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @internal The result of an attempt aborted by its context (a timeout, or the caller's signal).
 * @example
 * ```ts
 * hook((reason) => finish(abortedResult(reason)))
 * ```
 */
export function abortedResult(reason: unknown): TransportResult {
  const error =
    reason instanceof TransportError
      ? reason
      : new TransportError('aborted', 'the request was aborted', { cause: reason });
  return { ok: false, retryable: true, error };
}

/**
 * @internal A failure without an answer: a network error (refused, reset, malformed answer).
 * @example
 * ```ts
 * req.on('error', (error) => resolve(networkFailure(error)))
 * ```
 */
export function networkFailure(error: unknown): TransportResult {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  return {
    ok: false,
    retryable: true,
    error: new TransportError('network', `network error: ${typeof code === 'string' ? `${code} ` : ''}${text}`, {
      cause: error,
    }),
  };
}
