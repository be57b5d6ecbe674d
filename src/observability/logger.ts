/**
 * The logger contract: any pino-compatible object, and the two built-in loggers (silent, and stderr for what an
 * operator must see). Records are structured (`obj` first, `msg` second) and carry
 * `operation, eventId, eventType, deliveryId, attempt, duration_ms, status, correlationId` where they apply. No
 * record ever carries a secret or a signature.
 *
 * @module
 */

/** Fields a record may carry. */
export type LogRecord = Record<string, unknown>;

/**
 * A pino-compatible logger: `pino()`, `console`-backed wrappers, or your own.
 *
 * @example
 * ```ts
 * import pino from 'pino'
 * createPublisher({ transport, logger: pino() })
 * ```
 */
export interface Logger {
  debug(obj: LogRecord, msg?: string): void;
  info(obj: LogRecord, msg?: string): void;
  warn(obj: LogRecord, msg?: string): void;
  error(obj: LogRecord, msg?: string): void;
}

const noop = (): void => {};

/**
 * The default logger: says nothing.
 *
 * @example
 * ```ts
 * const logger = options.logger ?? silentLogger
 * ```
 */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

// The context worth a glance on one line; the rest of a record stays for structured loggers.
const CONTEXT_FIELDS = ['eventType', 'eventId', 'deliveryId', 'option', 'signature', 'code'] as const;

function line(obj: LogRecord, msg: string | undefined): string {
  let text = `[@teei/event-relay] ${msg ?? ''}`;
  const context: string[] = [];
  for (const field of CONTEXT_FIELDS) {
    const value = obj?.[field];
    if (typeof value === 'string' || typeof value === 'number') context.push(`${field}=${value}`);
  }
  if (context.length > 0) text += ` (${context.join(', ')})`;
  const err = obj?.err as { name?: unknown; message?: unknown } | undefined;
  if (err !== undefined && !(err instanceof Error)) text += `: ${String(err.name)}: ${String(err.message)}`;
  return text;
}

/**
 * The receiver's default logger: what an operator must see, on stderr, and nothing else. `warn` goes to
 * `console.warn` and `error` to `console.error` (with the error's stack when the record's `err` is an `Error`), each
 * as one line naming the event; `debug` and `info` say nothing. The receiver sends it no per-request record, so
 * normal traffic stays quiet.
 *
 * @example
 * ```ts
 * stderrLogger.warn({ option: 'secret' }, 'the secret option is shorter than 32 bytes')
 * // [@teei/event-relay] the secret option is shorter than 32 bytes (option=secret)
 * ```
 */
export const stderrLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn(obj: LogRecord, msg?: string) {
    console.warn(line(obj, msg));
  },
  error(obj: LogRecord, msg?: string) {
    const err = obj?.err;
    if (err instanceof Error) console.error(line(obj, msg), err);
    else console.error(line(obj, msg));
  },
});
