/**
 * `@teei/event-relay/postgres`: Postgres-backed parts for a publisher or receiver that runs on several instances,
 * or must survive a crash. Needs the optional peer `pg` (^8); the core never imports it. Nothing here creates a
 * table at import: call the `ensure…` functions, or run the SQL they print, in your own migrations.
 *
 * @module
 */

export {
  DEFAULT_IDEMPOTENCY_TABLE,
  ensureIdempotencyTable,
  type IdempotencyTableOptions,
  idempotencyTableSql,
} from './postgres/idempotency-table.js';
export type { PgClient, PgPool } from './postgres/pg-client.js';
export {
  DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS,
  type PostgresIdempotencyStore,
  type PostgresIdempotencyStoreOptions,
  postgresIdempotencyStore,
} from './postgres/postgres-idempotency-store.js';
