/**
 * `fanoutTransport`: one message to several transports, for dual publishing during the NATS migration.
 *
 * @module
 */

import type { SendContext, Transport, TransportMessage, TransportResult } from '../delivery/transport.js';
import { TransportError } from '../errors.js';

/**
 * Options of {@link fanoutTransport}.
 *
 * @example
 * ```ts
 * fanoutTransport([http, nats], { mode: 'any', onTargetError: (e, t) => log.warn({ target: t.name }, e.message) })
 * ```
 */
export interface FanoutTransportOptions {
  /**
   * `all`: delivered when every target has it; a retry re-sends only to the targets that have not succeeded yet.
   * `any`: delivered when one target has it (every target is still tried on each attempt).
   * @default 'all'
   */
  mode?: 'all' | 'any';
  /**
   * A target failed (in `any` mode this is the only place a failure beside a success shows up). A throw is ignored.
   * @default undefined
   */
  onTargetError?: (error: Error, target: Transport) => void;
}

/**
 * The defaults of {@link FanoutTransportOptions}.
 *
 * @example
 * ```ts
 * fanoutTransport([http, nats], { mode: DEFAULT_FANOUT.mode })
 * ```
 */
export const DEFAULT_FANOUT = Object.freeze({ mode: 'all' as const });

type Failure = Extract<TransportResult, { ok: false }>;

/**
 * Sends each message to every target concurrently. In `all` mode the failure is retryable when any target's
 * failure is, and the targets that already succeeded are remembered per message (a WeakMap keyed by the message the
 * publisher re-sends, so the memory goes with it). Receivers dedupe by event id either way.
 *
 * @throws {TypeError} for an empty list, a non-transport, more than 30 targets or an unknown mode.
 * @example
 * ```ts
 * const transport = fanoutTransport([httpTransport({ url, secret }), natsTransport({ connection })], { mode: 'all' })
 * ```
 */
export function fanoutTransport(targets: readonly Transport[], options: FanoutTransportOptions = {}): Transport {
  if (!Array.isArray(targets) || targets.length === 0)
    throw new TypeError('fanoutTransport needs at least one transport');
  if (targets.length > 30) throw new TypeError('fanoutTransport takes at most 30 transports');
  for (const target of targets) {
    if (typeof target?.send !== 'function') throw new TypeError('every fanoutTransport target must be a Transport');
  }
  const mode = options.mode ?? DEFAULT_FANOUT.mode;
  if (mode !== 'all' && mode !== 'any') throw new TypeError(`mode must be 'all' or 'any', got ${String(mode)}`);
  const { onTargetError } = options;
  const list = [...targets];
  // Bit i set: target i already has this message.
  const delivered = new WeakMap<TransportMessage, number>();

  return {
    name: `fanout(${list.map((t) => t.name).join(',')})`,
    async send(message, context: SendContext): Promise<TransportResult> {
      const done = mode === 'all' ? (delivered.get(message) ?? 0) : 0;
      const results = await Promise.all(
        list.map((target, i) => ((done >> i) & 1 ? undefined : sendSafely(target, message, context))),
      );
      let mask = done;
      const failures: { target: Transport; result: Failure }[] = [];
      let status: number | undefined;
      results.forEach((result, i) => {
        if (result === undefined) return;
        const target = list[i] as Transport;
        if (result.ok) {
          mask |= 1 << i;
          status ??= result.status;
        } else {
          failures.push({ target, result });
          if (onTargetError !== undefined) report(onTargetError, result.error, target);
        }
      });
      if (failures.length === 0 || (mode === 'any' && mask !== 0)) {
        delivered.delete(message);
        return status === undefined ? { ok: true } : { ok: true, status };
      }
      if (mode === 'all') delivered.set(message, mask);
      return combine(failures, list.length);
    },
    async close() {
      await Promise.all(list.map((target) => target.close?.()));
    },
  };
}

async function sendSafely(
  target: Transport,
  message: TransportMessage,
  context: SendContext,
): Promise<TransportResult> {
  try {
    return await target.send(message, context);
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    return { ok: false, retryable: true, error: new TransportError('transport_error', cause.message, { cause }) };
  }
}

/** A throwing hook must not turn a delivered message into a failure (nor, in 'all' mode, forget who has it). */
function report(hook: (error: Error, target: Transport) => void, error: Error, target: Transport): void {
  try {
    hook(error, target);
  } catch {
    // The hook is for observation only.
  }
}

function combine(failures: readonly { target: Transport; result: Failure }[], total: number): TransportResult {
  const retryable = failures.some((f) => f.result.retryable);
  const first = failures[0]?.result;
  let retryAfterMs: number | undefined;
  for (const { result } of failures) {
    if (result.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, result.retryAfterMs);
  }
  const detail = failures.map((f) => `${f.target.name}: ${f.result.error.message}`).join('; ');
  const error = new TransportError('fanout_failed', `${failures.length} of ${total} targets failed (${detail})`, {
    cause: new AggregateError(
      failures.map((f) => f.result.error),
      'fanout failures',
    ),
    ...(first?.status === undefined ? {} : { status: first.status }),
  });
  const base = { ok: false as const, retryable, error };
  const withStatus = first?.status === undefined ? base : { ...base, status: first.status };
  return retryAfterMs === undefined ? withStatus : { ...withStatus, retryAfterMs };
}
