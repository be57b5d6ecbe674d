/**
 * The publishing benchmark's rows, shared by the orchestrator and the client process.
 *
 * @module
 */

/** Row names; the first is the reference. */
export const ROWS = [
  'node:http keep-alive',
  'undici.request',
  'global fetch',
  'publisher.enqueue (httpTransport)',
] as const;

/** One publishing row. */
export type Row = (typeof ROWS)[number];
