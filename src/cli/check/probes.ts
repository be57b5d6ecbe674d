/**
 * The battery `check` sends, in order: a valid signed event, the same event again (as a publisher retries it:
 * same id and body, signed afresh), a tampered body, a stale timestamp, a wrong content type and a body one byte
 * over the limit. Each request is built with the library's `signedRequest`, so each breaks exactly one rule.
 *
 * @module
 */

import type { BuddyEventType } from '../../catalog/buddy.js';
import { createEnvelope, type EventEnvelope, type KeyOptions, type SchemeName, serializeEvent } from '../../index.js';
import { buddySample, signedRequest } from '../../testing/index.js';
import type { ProbeRequest } from './send-probe.js';

/**
 * What a correct receiver answers: a 2xx, a 2xx that says duplicate, or a given refusal.
 *
 * @example `const expected: Expectation = { kind: 'refuse', status: 401 }`
 */
export type Expectation =
  | { readonly kind: 'accept' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'refuse'; readonly status: number };

/**
 * One probe: a name, what a correct receiver answers, and the request (absent when the probe does not apply).
 *
 * @example `for (const probe of await buildProbes(options)) await sendProbe(url, probe.request!, 10_000)`
 */
export interface Probe {
  readonly id: 'valid' | 'duplicate' | 'tampered' | 'stale' | 'content-type' | 'oversized';
  readonly name: string;
  readonly expected: Expectation;
  readonly request?: ProbeRequest;
  /** Why the probe does not apply to this scheme. */
  readonly skipped?: string;
}

/**
 * Options of {@link buildProbes}.
 *
 * @example `buildProbes({ keys, type: 'buddy.match.created', maxBodyBytes: 1_048_576, staleSeconds: 3600 })`
 */
export interface ProbeOptions {
  readonly keys: KeyOptions & { readonly scheme: SchemeName };
  readonly type: BuddyEventType;
  /** The receiver's body limit: the oversized probe sends one byte more. */
  readonly maxBodyBytes: number;
  /** How old the stale probe's signature is. */
  readonly staleSeconds: number;
}

/** Marks every probe event for the receiver's handlers; unknown keys are stripped by the catalog. */
const SOURCE = 'event-relay-check';

/**
 * The six probes, signed and ready.
 *
 * @example `const probes = await buildProbes(options)`
 */
export async function buildProbes(options: ProbeOptions): Promise<Probe[]> {
  const { keys, type, maxBodyBytes, staleSeconds } = options;
  const fresh = (extra: Record<string, unknown> = {}): EventEnvelope =>
    createEnvelope(type, { ...buddySample(type), ...extra }, { source: SOURCE });
  const signed = async (event: EventEnvelope, more: Parameters<typeof signedRequest>[0] = {}) => {
    const { headers, body } = await signedRequest({ ...keys, ...more, event });
    return { headers, body };
  };
  const valid = fresh();
  const probes: Probe[] = [
    { id: 'valid', name: 'valid event', expected: { kind: 'accept' }, request: await signed(valid) },
    { id: 'duplicate', name: 'same event again', expected: { kind: 'duplicate' }, request: await signed(valid) },
    {
      id: 'tampered',
      name: 'tampered body',
      expected: { kind: 'refuse', status: 401 },
      // Still a valid event after the change: only the signature can tell.
      request: await signed(fresh({ probe: 'signed' }), {
        mutate: (r) => {
          r.body = r.body.replace('"probe":"signed"', '"probe":"change"');
        },
      }),
    },
  ];
  if (keys.scheme === 'sha256-body') {
    probes.push({
      id: 'stale',
      name: 'stale timestamp',
      expected: { kind: 'refuse', status: 401 },
      skipped: 'sha256-body does not sign a timestamp; replay protection rests on the event id',
    });
  } else {
    const timestamp = new Date(Date.now() - staleSeconds * 1000);
    probes.push({
      id: 'stale',
      name: 'stale timestamp',
      expected: { kind: 'refuse', status: 401 },
      request: await signed(fresh(), { timestamp }),
    });
  }
  probes.push(
    {
      id: 'content-type',
      name: 'wrong content type',
      expected: { kind: 'refuse', status: 415 },
      request: await signed(fresh(), {
        mutate: (r) => {
          r.headers['content-type'] = 'text/plain';
        },
      }),
    },
    {
      id: 'oversized',
      name: 'oversized body',
      expected: { kind: 'refuse', status: 413 },
      request: await signed(oversized(fresh, keys.scheme, maxBodyBytes + 1)),
    },
  );
  return probes;
}

/** A valid, correctly signed event whose body is exactly `bytes` long: only its size is wrong. */
function oversized(
  fresh: (extra?: Record<string, unknown>) => EventEnvelope,
  scheme: SchemeName,
  bytes: number,
): EventEnvelope {
  const event = fresh({ padding: '' });
  const base = Buffer.byteLength(serializeEvent(event, scheme === 'buddy-connector' ? 'flat' : 'nested'));
  (event.data as Record<string, unknown>).padding = 'x'.repeat(Math.max(0, bytes - base));
  return event;
}
