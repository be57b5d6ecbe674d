/**
 * Helpers for your own tests: a signed-request builder, valid samples of every Buddy event, and a real HTTP server
 * that fails on purpose.
 *
 * @module
 */

export * from './buddy-samples.js';
export * from './flaky-server.js';
export * from './signed-request.js';
