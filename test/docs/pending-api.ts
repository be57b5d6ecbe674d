// The API that `ts pending` blocks of the docs are written against, as SPEC sections 11 and 12 name it, while other
// branches build it (durability: outboxes, `close({ timeoutMs })`, transactional `enqueue`; replicas: the Redis and
// Postgres idempotency stores). The snippet test compiles pending blocks against dist/ plus this declaration file,
// so they are checked for everything else today. Kept as text: the repository's own typecheck must not see these
// augmentations. Delete it once no block is marked `ts pending`.

/** A declaration file of module augmentations, written into the snippet project as `pending-api.d.ts`. */
export const PENDING_API = `
import type { Catalog, EventEnvelope, IdempotencyStore } from '@teei/event-relay';
import type { PgClient, PgPool } from '@teei/event-relay/postgres';

declare module '@teei/event-relay' {
  interface OutboxRecord {
    readonly deliveryId: string;
    readonly envelope: EventEnvelope;
    readonly enqueuedAt: number;
  }
  interface Outbox {
    readonly name: string;
    readonly durable: boolean;
    size(): Promise<number>;
    close(): Promise<void>;
  }
  function memoryOutbox(): Outbox;
  function fileOutbox(dir: string, options?: Record<string, unknown>): Outbox;
  interface PublisherOptions<C extends Catalog = Catalog> {
    /** @default memoryOutbox() */
    outbox?: Outbox;
  }
  interface PublishOptions {
    /** A \`pg\` client inside the caller's open transaction (postgresOutbox only). */
    transaction?: PgClient;
  }
  interface Publisher<C extends Catalog = Catalog> {
    close(options?: { timeoutMs?: number }): Promise<void>;
  }
}

declare module '@teei/event-relay/postgres' {
  function postgresOutbox(options: { pool: PgPool; table?: string; schema?: string }): import('@teei/event-relay').Outbox;
  function ensureOutboxTable(pool: PgPool, options?: { table?: string; schema?: string }): Promise<void>;
  function postgresIdempotencyStore(options: { pool: PgPool; table?: string }): IdempotencyStore;
}

declare module '@teei/event-relay/redis' {
  function redisIdempotencyStore(options: {
    client: unknown;
    prefix?: string;
    ttlMs?: number;
    leaseMs?: number;
  }): IdempotencyStore;
}
`;
