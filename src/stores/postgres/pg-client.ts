/**
 * The slice of `pg` the Postgres stores use, typed structurally so the package never imports `pg` itself: a
 * `Pool`, a `PoolClient` or a `Client` of the user's own `pg` (any ^8) fits.
 *
 * @module
 */

/**
 * Anything that runs a parameterised query: a `pg` `Pool`, `PoolClient` or `Client`.
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * const client: PgClient = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * ```
 */
export interface PgClient {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * A `pg` `Pool`: queries, and a dedicated connection when one is needed (`LISTEN`, a transaction).
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * const pool: PgPool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * ```
 */
export interface PgPool extends PgClient {
  connect(): Promise<PgClient & { release(destroy?: boolean | Error): void }>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * @internal A table name, schema-qualified when a schema is given, quoted for SQL. Only plain identifiers are
 * accepted, so a name can never carry SQL.
 *
 * @throws {TypeError} naming the option when a name is not a plain identifier.
 * @example
 * ```ts
 * qualifiedName('event_relay_outbox', 'app') // "app"."event_relay_outbox"
 * ```
 */
export function qualifiedName(table: string, schema: string | undefined, option = 'table'): string {
  if (!IDENTIFIER.test(table)) {
    throw new TypeError(`${option} must be a plain SQL identifier (letters, digits, _), got ${JSON.stringify(table)}`);
  }
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new TypeError(`schema must be a plain SQL identifier (letters, digits, _), got ${JSON.stringify(schema)}`);
  }
  return schema === undefined ? `"${table}"` : `"${schema}"."${table}"`;
}
