/**
 * What the receiver tells an operator without being asked: a signature mode that lets unsigned requests in, once at
 * creation, and the errors it reports (a handler's, a misconfiguration's) when no logger of the user's records them.
 *
 * @module
 */
import type { Logger } from '../observability/logger.js';
import type { SignatureMode } from './receiver-options.js';
import type { ErrorContext } from './types.js';

const MODE_WARNINGS: Readonly<Record<SignatureMode, string | undefined>> = {
  required: undefined,
  optional:
    "signature: 'optional' accepts unsigned requests: anyone who can reach this endpoint can send events. Use it " +
    "only while senders start signing, then set signature: 'required'",
  disabled:
    "signature verification is disabled (signature: 'disabled', or WEBHOOK_SIGNATURE_VALIDATION_ENABLED=false): " +
    'every request that reaches this receiver is taken as authentic. Use it only in local development or behind a ' +
    'proxy that authenticates senders; give a secret to verify signatures',
};

/** @internal warns once, at creation, when unsigned requests get in */
export function warnSignatureMode(alerts: Logger, signature: SignatureMode): void {
  const message = MODE_WARNINGS[signature];
  if (message === undefined) return;
  try {
    alerts.warn({ operation: 'receiver.config', signature }, message);
  } catch {}
}

/**
 * @internal Logs each reported error, with its stack: every failure of a handler or of the receiver's own parts,
 * and each distinct misconfiguration once (the same mounting mistake fails every request).
 */
export function errorEcho(alerts: Logger): (error: Error, ctx: ErrorContext) => void {
  const seen = new Set<string>();
  return (error, ctx) => {
    const record = { operation: 'receive', ...ctx, err: error };
    if (ctx.source === 'handler') {
      alerts.error(record, 'a handler failed: the sender will retry unless it threw PermanentEventError');
    } else if (error.name !== 'ConfigError') {
      alerts.error(record, 'the receiver failed');
    } else if (!seen.has(error.message)) {
      if (seen.size < 100) seen.add(error.message);
      alerts.error(record, 'the receiver is misconfigured');
    }
  };
}
