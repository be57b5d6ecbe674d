/**
 * One POST through a `fetch` implementation (undici, a test double, an edge runtime's global).
 *
 * @module
 */
import type { TransportResult } from '../../delivery/transport.js';
import { abortedResult, classifyResponse, networkFailure } from './classify-response.js';

const SNIPPET_BYTES = 512;
/** Bytes of an answer read before the rest is cancelled. */
const DRAIN_BYTES = 64 * 1024;

/**
 * @internal Never rejects.
 * @example
 * ```ts
 * const result = await fetchPost(fetch, url, headers, body, signal, 'https://csr.example/webhooks/buddy-events')
 * ```
 */
export async function fetchPost(
  fetchImpl: typeof globalThis.fetch,
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
  endpoint: string,
): Promise<TransportResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers,
      body,
      signal,
      redirect: 'manual',
    });
  } catch (error) {
    return signal.aborted ? abortedResult(signal.reason) : networkFailure(error);
  }
  const ok = response.status >= 200 && response.status < 300;
  let snippet = '';
  try {
    snippet = await drain(response, ok ? 0 : SNIPPET_BYTES);
  } catch {
    // A body that breaks off after the status line: the status still stands.
  }
  return classifyResponse(response.status, response.headers.get('retry-after'), snippet, endpoint);
}

async function drain(response: Response, keep: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    read += value.byteLength;
    if (text.length < keep) text += decoder.decode(value, { stream: true }).slice(0, keep - text.length);
    if (read > DRAIN_BYTES) {
      await reader.cancel();
      return text;
    }
  }
}
