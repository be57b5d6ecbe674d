/**
 * How `check` reads each answer: right, different but harmless, or wrong, and what a wrong answer usually means
 * (a proxy that strips a header, verification turned off, a body parser in front of the receiver …).
 *
 * @module
 */
import type { Probe } from './probes.js';
import type { ProbeResult } from './send-probe.js';

/**
 * - `ok`: what a correct receiver answers.
 * - `warn`: a different answer that accepts nothing it must refuse.
 * - `fail`: it accepted what it must refuse, or refused the valid event.
 * - `inconclusive`: a refusal that proves nothing, because the valid event was refused too.
 * - `skipped`: the probe does not apply to the scheme.
 *
 * @example `if (judgement.verdict === 'fail') process.exitCode = 1`
 */
export type Verdict = 'ok' | 'warn' | 'fail' | 'inconclusive' | 'skipped';

/**
 * A verdict and, unless `ok`, why.
 *
 * @example `const { verdict, reason }: Judgement = judge(probe, result, true)`
 */
export interface Judgement {
  readonly verdict: Verdict;
  readonly reason?: string;
}

/**
 * Judges one answer. `validAccepted` says whether the valid event got a 2xx: refusals mean nothing otherwise.
 *
 * @example `judge(probes[2], await sendProbe(url, probes[2].request!, 10_000), true)`
 */
export function judge(probe: Probe, result: ProbeResult | undefined, validAccepted: boolean): Judgement {
  if (probe.skipped !== undefined) return { verdict: 'skipped', reason: probe.skipped };
  if (result === undefined) return { verdict: 'skipped' };
  const { status, json } = result;
  const code = typeof json?.error === 'string' ? json.error : undefined;
  const said = typeof json?.message === 'string' ? ` (the receiver said: "${json.message}")` : '';
  const expected = probe.expected;
  const accepted = status !== undefined && status >= 200 && status < 300;
  // Once the valid event is refused, only an acceptance still says something about the other probes.
  if (expected.kind !== 'accept' && !validAccepted && !accepted) {
    return { verdict: 'inconclusive', reason: 'the valid event was refused too' };
  }
  if (status === undefined) {
    if (expected.kind !== 'refuse') return { verdict: 'fail', reason: `no answer: ${result.error}` };
    return { verdict: 'warn', reason: `no answer (${result.error}): nothing was accepted, but a sender retries` };
  }
  if (expected.kind === 'accept') {
    if (accepted) return { verdict: 'ok' };
    return { verdict: 'fail', reason: `refused a correctly signed event: ${whyRefused(status, code)}${said}` };
  }
  if (expected.kind === 'duplicate') {
    if (accepted && json?.duplicate === true) return { verdict: 'ok' };
    if (accepted) {
      return {
        verdict: 'warn',
        reason: 'acknowledged, but the answer does not say duplicate: make sure the handlers run once per event id',
      };
    }
    return {
      verdict: 'fail',
      reason: `answered ${status} to a retry of an event already accepted: a sender retries it again and dead-letters it${said}`,
    };
  }
  if (accepted) return { verdict: 'fail', reason: ACCEPTED[probe.id] ?? 'accepted what it must refuse' };
  if (status === expected.status) return { verdict: 'ok' };
  return {
    verdict: 'warn',
    reason: `refused with ${status}${code ? ` ${code}` : ''} where a correct receiver answers ${expected.status}${said}`,
  };
}

/** Why an endpoint that accepts each of these is wrong. */
const ACCEPTED: Partial<Record<Probe['id'], string>> = {
  tampered:
    "accepted a body that does not match its signature: signatures are not verified (signature: 'disabled', or " +
    'WEBHOOK_SIGNATURE_VALIDATION_ENABLED=false), so anyone can send events',
  stale:
    'accepted a signature an hour old: the timestamp is not checked, so a captured request can be replayed ' +
    '(or signatures are not verified at all)',
  'content-type': 'accepted a text/plain body: the Content-Type is not checked',
  oversized: 'accepted a body over the limit: no body size limit (or a larger one: give it with --max-body-bytes)',
};

/** What a refusal of the valid event usually means, by status and error code. */
function whyRefused(status: number, code: string | undefined): string {
  switch (code) {
    case 'missing_header':
      return '401 missing_header: the signature headers did not arrive (a proxy strips them?) or the receiver uses another scheme (--scheme)';
    case 'malformed_header':
      return '401 malformed_header: the receiver reads another signature format (--scheme)';
    case 'invalid_signature':
      return '401 invalid_signature: the secrets differ, the scheme or key encoding differs, or something on the way changes the body';
    case 'timestamp_out_of_tolerance':
      return "401 timestamp_out_of_tolerance: this machine's clock and the receiver's differ by more than its tolerance";
    case 'unknown_type':
    case 'invalid_data':
    case 'invalid_envelope':
      return `${status} ${code}: the receiver does not accept this event (another --type?)`;
  }
  if (status === 404) return '404: nothing at this URL (the adapters mount POST /webhooks/buddy-events by default)';
  if (status >= 300 && status < 400) return `${status}: a redirect, which publishers do not follow: use the final URL`;
  if (status >= 500) {
    return (
      `${status}: the receiver failed (see its log). A body parser in front of it, such as express.json(), ` +
      'makes verification impossible: mount the receiver before it, or use express.raw()'
    );
  }
  return `${status}${code ? ` ${code}` : ''}`;
}
