/**
 * The one-shot `sign()` and `verify()` build their keys on each call, so a key warning (whitespace, a short secret…)
 * would reach the caller's logger on every call: this passes each kind on once per logger. It holds loggers weakly
 * and keys by warning code, never by secret.
 *
 * @module
 */
import type { Logger, LogRecord } from '../observability/logger.js';

const warned = new WeakMap<Logger, Set<string>>();

/**
 * @internal The caller's logger, passing each kind of key warning on once (methods called on it: pino's use `this`).
 * @example `createSigner({ ...options, logger: warningsOnce(options.logger) })`
 */
export function warningsOnce(logger: Logger): Logger {
  let once = warned.get(logger);
  if (once === undefined) {
    once = new Set();
    warned.set(logger, once);
  }
  const seen = once;
  return {
    debug: (obj, msg) => logger.debug(obj, msg),
    info: (obj, msg) => logger.info(obj, msg),
    warn(obj: LogRecord, msg?: string) {
      const key = `${String(obj.code)}|${String(obj.option)}`;
      if (seen.has(key)) return;
      seen.add(key);
      logger.warn(obj, msg);
    },
    error: (obj, msg) => logger.error(obj, msg),
  };
}

/** @internal the options with their logger, if any, wrapped by {@link warningsOnce} */
export function withWarningsOnce<O extends { logger?: Logger | undefined }>(options: O): O {
  const logger = typeof options === 'object' && options !== null ? options.logger : undefined;
  return logger ? { ...options, logger: warningsOnce(logger) } : options;
}
