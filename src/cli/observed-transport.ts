/**
 * A transport that reports each attempt's outcome: how `send` and `dlq redrive` show retries as they happen. It
 * wraps the library's `httpTransport` through the public `Transport` interface and changes nothing it sends.
 *
 * @module
 */
import type { Transport, TransportResult } from '../index.js';

/**
 * One finished attempt.
 *
 * @example `const seen: AttemptReport = { deliveryId, eventType, attempt: 2, result: { ok: true, status: 202 } }`
 */
export interface AttemptReport {
  readonly deliveryId: string;
  readonly eventType: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly result: TransportResult;
}

/**
 * `transport`, calling `onAttempt` after each attempt (a throw from it is ignored).
 *
 * @example `createPublisher({ transport: observeTransport(httpTransport(options), (a) => progress.attempt(a)) })`
 */
export function observeTransport(transport: Transport, onAttempt: (report: AttemptReport) => void): Transport {
  const observed: Transport = {
    name: transport.name,
    async send(message, context) {
      const result = await transport.send(message, context);
      try {
        onAttempt({
          deliveryId: message.deliveryId,
          eventType: message.envelope.type,
          attempt: context.attempt,
          result,
        });
      } catch {}
      return result;
    },
  };
  if (transport.close) observed.close = () => transport.close!();
  return observed;
}

/**
 * A short reason for a failed attempt: the transport's error, without the origin the summary already names.
 *
 * @example `failureText(result) // 'HTTP 401 (invalid_signature)' or 'timeout: no answer within 5000 ms'`
 */
export function failureText(result: TransportResult): string {
  if (result.ok) return `HTTP ${result.status ?? 'ok'}`;
  return result.error.message.replace(/ from \S+$/, '');
}

/**
 * A URL fit to print: credentials (`https://user:password@host`) and the query are dropped.
 *
 * @example `printableUrl('https://u:p@csr.example/hook?token=x') // 'https://csr.example/hook'`
 */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}
