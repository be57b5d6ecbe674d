/**
 * What `send` and `dlq redrive` print while they deliver. On a terminal: one progress line on stderr, updated in
 * place, with failures printed above it. Otherwise (a pipe, a CI log): one line per event on stdout and one per
 * failed attempt on stderr, so nothing depends on a terminal to be read.
 *
 * @module
 */
import { isEventRelayError } from '../index.js';
import type { CliIo } from './io.js';
import { type AttemptReport, failureText } from './observed-transport.js';
import { plural } from './plural.js';

/**
 * The counts so far.
 *
 * @example `const { delivered, failed }: DeliveryCounts = report.counts`
 */
export interface DeliveryCounts {
  delivered: number;
  failed: number;
  retries: number;
}

/**
 * One event delivered.
 *
 * @example `report.delivered({ eventType: envelope.type, ...receipt })`
 */
export interface DeliveredEvent {
  readonly eventType: string;
  readonly eventId: string;
  readonly attempts: number;
  readonly status?: number | undefined;
  /** From the first attempt to the success, when known. */
  readonly durationMs?: number | undefined;
}

/**
 * A live report of `total` deliveries.
 *
 * @example
 * ```ts
 * const report = deliveryReport(io, events.length)
 * publisher.publish(envelope).then((r) => report.delivered({ eventType: envelope.type, ...r }), (e) => report.failed(envelope.type, envelope.metadata.id, e))
 * ```
 */
export interface DeliveryReport {
  readonly counts: DeliveryCounts;
  /** Every attempt, from {@link observeTransport}. */
  attempt(report: AttemptReport): void;
  delivered(event: DeliveredEvent): void;
  failed(eventType: string, eventId: string, error: unknown): void;
  /** Failures counted without a line each (a redrive only learns how many). */
  failedCount(count: number): void;
  /** Ends the progress line. */
  finish(): void;
}

/**
 * Starts reporting.
 *
 * @example `const report = deliveryReport(io, 100)`
 */
export function deliveryReport(io: CliIo, total: number): DeliveryReport {
  const { stdout, stderr } = io;
  const live = stderr.isTTY;
  const counts: DeliveryCounts = { delivered: 0, failed: 0, retries: 0 };
  let drawn = false;
  const line = (): string => {
    const done = counts.delivered + counts.failed;
    const width = 20;
    const bar = `[${'#'.repeat(Math.round((done / total) * width)).padEnd(width, '.')}]`;
    const text = `${bar} ${done}/${total} · delivered ${counts.delivered} · failed ${counts.failed} · retries ${counts.retries}`;
    return text.slice(0, Math.max(20, stderr.columns - 1));
  };
  const draw = (): void => {
    if (!live) return;
    stderr.write(`\r\x1b[2K${line()}`);
    drawn = true;
  };
  // Prints a whole line above the progress line, which is then drawn again.
  const print = (to: 'stdout' | 'stderr', text: string): void => {
    if (drawn) stderr.write('\r\x1b[2K');
    io[to].write(`${text}\n`);
    draw();
  };
  draw();
  return {
    counts,
    attempt({ deliveryId, attempt, result }) {
      if (attempt > 1) counts.retries++;
      if (!result.ok && !live) {
        const next = result.retryable ? 'retryable' : 'permanent';
        print(
          'stderr',
          stderr.color.yellow(`attempt ${attempt} for ${deliveryId} failed: ${failureText(result)} (${next})`),
        );
      }
      draw();
    },
    delivered({ eventType, eventId, attempts, status, durationMs }) {
      counts.delivered++;
      if (live && stdout.isTTY) return draw();
      const http = status === undefined ? '' : ` · HTTP ${status}`;
      const time = durationMs === undefined ? '' : ` · ${Math.round(durationMs)} ms`;
      print(
        'stdout',
        `${stdout.color.green('delivered')} ${eventType} ${eventId} · ${plural(attempts, 'attempt')}${http}${time}`,
      );
    },
    failed(eventType, eventId, error) {
      counts.failed++;
      // The DeliveryError's own message repeats the id and type: its cause says what went wrong.
      const detail = isEventRelayError(error, 'DeliveryError')
        ? `${plural(error.attempts, 'attempt')}, ${error.retryable ? 'retries exhausted' : 'permanent failure'}: ${
            error.cause instanceof Error ? error.cause.message.replace(/ from \S+$/, '') : error.message
          }`
        : error instanceof Error
          ? error.message
          : String(error);
      print('stdout', `${stdout.color.red('failed')} ${eventType} ${eventId} · ${detail}`);
    },
    failedCount(count) {
      counts.failed += count;
      draw();
    },
    finish() {
      if (drawn) stderr.write('\n');
      drawn = false;
    },
  };
}
