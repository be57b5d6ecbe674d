/**
 * The receiver's answers: every status with its JSON body, built in one place so HTTP, `fetch()` and NATS agree.
 *
 * @module
 */
import type { ValidationIssue } from '../errors.js';
import type { MessageOutcome, MessageResult, ReceiverResponse, ReceiverResponseBody } from './types.js';

/**
 * The `error` codes of the receiver's JSON error bodies.
 *
 * @example `const code: ReceiverErrorCode = JSON.parse(res.body).error // 'invalid_signature', 'invalid_data', …`
 */
export type ReceiverErrorCode =
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'request_timeout'
  | 'missing_header'
  | 'malformed_header'
  | 'timestamp_out_of_tolerance'
  | 'invalid_signature'
  | 'invalid_json'
  | 'invalid_envelope'
  | 'unknown_type'
  | 'invalid_data'
  | 'rate_limited'
  | 'in_progress'
  | 'handler_failed'
  | 'handler_timeout'
  | 'permanent_event'
  | 'internal_error'
  | 'not_found';

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });

/** @internal a failure verdict */
export function failure(
  outcome: Exclude<MessageOutcome, 'accepted' | 'duplicate'>,
  status: number,
  code: ReceiverErrorCode,
  message: string,
  extra: {
    eventId?: string;
    eventType?: string;
    deliveryId?: string;
    issues?: readonly ValidationIssue[];
    retryAfterMs?: number;
    error?: Error;
  } = {},
): MessageResult {
  const body: ReceiverResponseBody = { error: code, message };
  if (extra.eventId !== undefined) body.eventId = extra.eventId;
  if (extra.issues !== undefined) body.issues = extra.issues.map((i) => ({ path: [...i.path], message: i.message }));
  const result: { -readonly [K in keyof MessageResult]: MessageResult[K] } = { outcome, status, body };
  if (extra.eventId !== undefined) result.eventId = extra.eventId;
  if (extra.eventType !== undefined) result.eventType = extra.eventType;
  if (extra.deliveryId !== undefined) result.deliveryId = extra.deliveryId;
  if (extra.retryAfterMs !== undefined) result.retryAfterMs = extra.retryAfterMs;
  if (extra.error !== undefined) result.error = extra.error;
  return result;
}

/** @internal an acknowledgement (202, or 200 for a duplicate) */
export function acknowledged(
  eventId: string,
  eventType: string,
  deliveryId: string,
  duplicate: boolean,
): MessageResult {
  return duplicate
    ? {
        outcome: 'duplicate',
        status: 200,
        body: { acknowledged: true, eventId, duplicate: true },
        eventId,
        eventType,
        deliveryId,
      }
    : { outcome: 'accepted', status: 202, body: { acknowledged: true, eventId }, eventId, eventType, deliveryId };
}

/** @internal a verdict as an HTTP answer; `Retry-After` in whole seconds, at least 1 */
export function toResponse(result: MessageResult): ReceiverResponse {
  const { status, body } = result;
  // The two acknowledgements are most answers: their JSON is spliced rather than serialised.
  if (status === 202 && 'acknowledged' in body) {
    return { status, headers: JSON_HEADERS, body: `{"acknowledged":true,"eventId":${JSON.stringify(body.eventId)}}` };
  }
  if (status === 200 && 'acknowledged' in body && body.duplicate === true) {
    const json = `{"acknowledged":true,"eventId":${JSON.stringify(body.eventId)},"duplicate":true}`;
    return { status, headers: JSON_HEADERS, body: json };
  }
  return status === 405
    ? jsonResponse(405, body, undefined, { allow: 'POST' })
    : jsonResponse(status, body, result.retryAfterMs);
}

/** @internal */
export function jsonResponse(
  status: number,
  body: unknown,
  retryAfterMs?: number,
  extra?: Record<string, string>,
): ReceiverResponse {
  let headers = JSON_HEADERS;
  if (retryAfterMs !== undefined || extra !== undefined) {
    const h: Record<string, string> = { 'content-type': 'application/json', ...extra };
    if (retryAfterMs !== undefined) h['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    headers = h;
  }
  return { status, headers, body: JSON.stringify(body) };
}
