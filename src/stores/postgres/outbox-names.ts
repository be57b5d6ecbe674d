/**
 * The names one outbox table brings with it: the quoted table, its two indexes, the `NOTIFY` channel and the
 * advisory-lock key of its migration. Postgres cuts identifiers at 63 bytes without an error, so two long names
 * could silently collapse into one; a name that would be cut gets a short hash instead.
 *
 * @module
 */
import { qualifiedName } from './pg-client.js';

/** Postgres's identifier limit (NAMEDATALEN - 1). */
const MAX_IDENTIFIER = 63;

/**
 * @internal The SQL names of one outbox table.
 *
 * @example
 * ```ts
 * const { table, channel } = outboxNames('event_relay_outbox', undefined) // "event_relay_outbox", event_relay_outbox
 * ```
 */
export interface OutboxNames {
  /** Quoted, schema-qualified when a schema is given: `"app"."event_relay_outbox"`. */
  readonly table: string;
  /** Quoted name of the index of rows nobody holds, in claim order. */
  readonly availableIndex: string;
  /** Quoted name of the index of held rows by lease end, for takeovers. */
  readonly leaseIndex: string;
  /** Unquoted `LISTEN`/`NOTIFY` channel, unique per table. */
  readonly channel: string;
  /** `schema.table` as text: the key of the migration's advisory lock, and of `to_regclass`. */
  readonly key: string;
}

/**
 * @internal Derives every name from the table and schema options.
 *
 * @throws {TypeError} naming `table` or `schema` when one is not a plain identifier.
 * @example
 * ```ts
 * outboxNames('outbox', 'app').availableIndex // "outbox_available"
 * ```
 */
export function outboxNames(table: string, schema: string | undefined): OutboxNames {
  const quoted = qualifiedName(table, schema);
  const key = schema === undefined ? table : `${schema}.${table}`;
  return {
    table: quoted,
    availableIndex: `"${withinLimit(`${table}_available`, key)}"`,
    leaseIndex: `"${withinLimit(`${table}_leased`, key)}"`,
    channel: withinLimit(key, key),
    key,
  };
}

/** `name` itself when it fits, else its head, a hash of `key` and its last word, so distinct tables stay distinct. */
function withinLimit(name: string, key: string): string {
  if (name.length <= MAX_IDENTIFIER) return name;
  const tail = name.slice(name.lastIndexOf('_'));
  const hash = fnv1a(key);
  return `${name.slice(0, MAX_IDENTIFIER - tail.length - hash.length - 1)}_${hash}${tail}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: enough to keep two long names apart, no crypto needed. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
