#!/usr/bin/env node
/**
 * The `event-relay` executable (package.json `bin`). Everything happens in `run()`; this file only binds it to the
 * process.
 *
 * @module
 */
import { processIo } from './io.js';
import { run } from './run.js';

run(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
  // Output is flushed and every command closes what it opened; should a socket still linger, do not hang on it.
  setTimeout(() => process.exit(code), 2000).unref();
});
