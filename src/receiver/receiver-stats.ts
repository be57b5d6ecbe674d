/**
 * Counts, logs and measures every answer of the receiver, in one place. Nothing is built for a silent logger or a
 * sink without the method, and a logger or sink that throws is ignored.
 *
 * @module
 */
import { type Logger, silentLogger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics.js';
import type { SignatureMode } from './receiver-options.js';
import type { MessageResult, ReceiverHealth } from './types.js';

/** @internal what the pipeline learnt about the event, for the log record and the lag metric */
export interface Trace {
  timestamp?: string;
  correlationId?: string;
  /** The sender's address, logged with a refusal (who sends forged or broken requests). */
  remoteAddress?: string;
}

/** @internal */
export interface ReceiverStats {
  /** Whether `record` wants a start time (a logger or a `received` metric is listening). */
  readonly timed: boolean;
  record(result: MessageResult, startMs: number, trace: Trace | undefined): void;
  health(): ReceiverHealth;
}

function errorCode(result: MessageResult): string | undefined {
  return 'error' in result.body ? result.body.error : undefined;
}

/** @internal */
export function createReceiverStats(logger: Logger, metrics: MetricsSink, signature: SignatureMode): ReceiverStats {
  const startedAt = Date.now();
  let received = 0;
  let accepted = 0;
  let rejected = 0;
  let duplicates = 0;
  let failed = 0;
  let lastEventAt: number | undefined;
  const log = logger === silentLogger ? undefined : logger;
  const measured = metrics.received !== undefined;
  const timed = log !== undefined || measured;

  function observe(result: MessageResult, startMs: number, trace: Trace | undefined): void {
    const durationMs = performance.now() - startMs;
    const code = errorCode(result);
    if (measured) {
      const lagMs = trace?.timestamp === undefined ? Number.NaN : Date.now() - Date.parse(trace.timestamp);
      metrics.received?.({
        eventType: result.eventType ?? 'unknown',
        status: result.status,
        durationMs,
        ...(Number.isFinite(lagMs) ? { lagMs } : {}),
      });
    }
    if (log === undefined) return;
    const record: Record<string, unknown> = { operation: 'receive', status: result.status, duration_ms: durationMs };
    if (result.eventId !== undefined) record.eventId = result.eventId;
    if (result.eventType !== undefined) record.eventType = result.eventType;
    if (result.deliveryId !== undefined) record.deliveryId = result.deliveryId;
    if (trace?.correlationId !== undefined) record.correlationId = trace.correlationId;
    if (code !== undefined) record.error = code;
    if (result.status >= 400 && trace?.remoteAddress !== undefined) record.remoteAddress = trace.remoteAddress;
    if (result.status >= 500) {
      const err = result.error;
      if (err !== undefined) record.err = { name: err.name, message: err.message };
      log.error(record, 'event failed');
    } else if (result.status >= 400) log.warn(record, `event refused: ${code}`);
    else log.debug(record, result.outcome === 'duplicate' ? 'duplicate event acknowledged' : 'event accepted');
  }

  return {
    timed,
    record(result, startMs, trace) {
      received++;
      const { status } = result;
      if (status === 202) {
        accepted++;
        lastEventAt = Date.now();
      } else if (status === 200) duplicates++;
      else if (status >= 500) failed++;
      else rejected++;
      if (status < 400 && !timed) return;
      // A throwing logger or metrics sink must not change the answer, nor make `handle()` reject.
      try {
        if (status >= 400) {
          const code = errorCode(result);
          if (code !== undefined) metrics.receiveError?.({ errorType: code });
          if (status === 401) metrics.signatureFailure?.();
        }
        if (timed) observe(result, startMs, trace);
      } catch {}
    },
    health() {
      return {
        status: 'ok',
        signature,
        uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
        received,
        accepted,
        rejected,
        duplicates,
        failed,
        lastEventAt: lastEventAt === undefined ? null : new Date(lastEventAt).toISOString(),
      };
    },
  };
}
