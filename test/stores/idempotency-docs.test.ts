// docs/idempotency.md prints the table's SQL for teams that run their own migrations: it must be what
// ensureIdempotencyTable() runs, and the defaults it states must be the code's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDEMPOTENCY_TIMES } from '../../src/receiver/idempotency-store.js';
import { DEFAULT_RECEIVER_OPTIONS } from '../../src/receiver/receiver-options.js';
import { DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS, idempotencyTableSql } from '../../src/stores/postgres.js';
import { DEFAULT_REDIS_IDEMPOTENCY_OPTIONS } from '../../src/stores/redis.js';

const doc = readFileSync(new URL('../../docs/idempotency.md', import.meta.url), 'utf8');

describe('docs/idempotency.md', () => {
  it('shows exactly the SQL of idempotencyTableSql()', () => {
    const blocks = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toEqual([idempotencyTableSql()]);
  });

  it('states the defaults the code has', () => {
    expect(DEFAULT_IDEMPOTENCY_TIMES).toEqual({ ttlMs: 24 * 60 * 60 * 1000, leaseMs: 30_000 });
    expect(doc).toContain('`leaseMs` (default 30 s)');
    expect(doc).toContain('`ttlMs` (default 24 hours)');
    expect(DEFAULT_RECEIVER_OPTIONS.handlerTimeoutMs).toBe(5 * 60 * 1000);
    expect(doc).toContain('`handlerTimeoutMs` (default 5 minutes)');
    expect(doc).toContain(`default prefix \`${DEFAULT_REDIS_IDEMPOTENCY_OPTIONS.prefix}\``);
    expect(DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS).toMatchObject({ cleanupIntervalMs: 60_000, cleanupBatchSize: 1_000 });
    expect(doc).toContain('`cleanupIntervalMs` (default 60 s)');
    expect(doc).toContain('`cleanupBatchSize` rows (default 1,000)');
  });
});
