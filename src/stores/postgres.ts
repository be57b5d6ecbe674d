/**
 * `@teei/event-relay/postgres`: Postgres-backed parts for a publisher or receiver that runs on several instances,
 * or must survive a crash. Needs the optional peer `pg` (^8); the core never imports it. Nothing here creates a
 * table at import: call the `ensure…` functions, or run the SQL they print, in your own migrations.
 *
 * @module
 */

export { type EnsureOutboxTableOptions, ensureOutboxTable } from './postgres/ensure-outbox-table.js';
export {
  DEFAULT_IDEMPOTENCY_TABLE,
  ensureIdempotencyTable,
  type IdempotencyTableOptions,
  idempotencyTableSql,
} from './postgres/idempotency-table.js';
export { DEFAULT_OUTBOX_TABLE, type OutboxTableOptions, outboxTableSql } from './postgres/outbox-table-sql.js';
export type { PgClient, PgPool } from './postgres/pg-client.js';
export {
  DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS,
  type PostgresIdempotencyStore,
  type PostgresIdempotencyStoreOptions,
  postgresIdempotencyStore,
} from './postgres/postgres-idempotency-store.js';
export { DEFAULT_POSTGRES_OUTBOX, type PostgresOutboxOptions, postgresOutbox } from './postgres/postgres-outbox.js';
