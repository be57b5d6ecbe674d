/**
 * The durability benchmark's rows, shared by the orchestrator and the client processes. A row names an outbox and how
 * many publisher processes share it; the first row is the reference. To add one (the Postgres outbox, one and two
 * instances), append a row here: the orchestrator forks `instances` clients, each sends its share of the events
 * through `outbox(context)`, and `cleanup` runs once after each round in the client of instance 0.
 *
 * @module
 */
import { rm } from 'node:fs/promises';
import pg from 'pg';
import {
  ensureOutboxTable,
  type FileOutbox,
  fileOutbox,
  memoryOutbox,
  type Outbox,
  postgresOutbox,
} from '../lib/sdk.js';

/** Where a row's outbox lives for one round. */
export interface RowContext {
  /** A fresh directory on the checkout's disk (`.tmp/bench-durability/<round>`), for outboxes that need one. */
  readonly dir: string;
  /** Unique per round: a table or schema name for outboxes in a database. */
  readonly run: string;
  /** 0 … instances − 1. */
  readonly instance: number;
  readonly instances: number;
}

/** One row. */
export interface DurabilityRow {
  readonly name: string;
  /** Publisher processes sharing the outbox; each enqueues count / instances events. */
  readonly instances: number;
  /** Builds the outbox, in the client process. */
  outbox(context: RowContext): Outbox | Promise<Outbox>;
  /** Removes what the round left (files, tables). */
  cleanup?(context: RowContext): Promise<void>;
}

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// One pool per client process, kept across rounds as an application keeps its pool.
let pool: pg.Pool | undefined;
const pgPool = (): pg.Pool => {
  pool ??= new pg.Pool({ connectionString: PG_URL });
  return pool;
};

/** A table per round; every instance runs ensureOutboxTable at once, as replicas starting together would. */
async function postgresRow({ run }: RowContext): Promise<Outbox> {
  await ensureOutboxTable({ pool: pgPool(), table: `bench_${run}` });
  return postgresOutbox({ pool: pgPool(), table: `bench_${run}` });
}
const dropTable = async ({ run }: RowContext): Promise<void> => {
  await pgPool().query(`DROP TABLE IF EXISTS "bench_${run}"`);
};

/** The reference row. */
export const REFERENCE = 'memoryOutbox';

/** Every row, reference first. */
export const ROWS: readonly DurabilityRow[] = [
  { name: REFERENCE, instances: 1, outbox: () => memoryOutbox() },
  {
    name: 'fileOutbox',
    instances: 1,
    outbox: ({ dir }) => fileOutbox(dir, { logger: false }),
    cleanup: ({ dir }) => rm(dir, { recursive: true, force: true }),
  },
  { name: 'postgresOutbox', instances: 1, outbox: postgresRow, cleanup: dropTable },
  { name: 'postgresOutbox, 2 instances', instances: 2, outbox: postgresRow, cleanup: dropTable },
];

/**
 * Fsyncs and group commits of an outbox that counts them (the file outbox); zeros otherwise.
 *
 * @example
 * ```ts
 * const { fsyncs } = syncStats(outbox)
 * ```
 */
export function syncStats(outbox: Outbox): { fsyncs: number; groupCommits: number } {
  const stats = (outbox as Partial<FileOutbox>).stats?.();
  return { fsyncs: stats?.fsyncs ?? 0, groupCommits: stats?.groupCommits ?? 0 };
}
