/**
 * The logger contract: any pino-compatible object. Records are structured (`obj` first, `msg` second) and carry
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
