// docs/durability-postgres.md prints the outbox table's SQL verbatim for teams that run their own migrations: it must
// be exactly what outboxTableSql() (and so ensureOutboxTable()) creates.
import { readFileSync } from 'node:fs';
import { outboxTableSql } from '@teei/event-relay/postgres';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(new URL('../../docs/durability-postgres.md', import.meta.url), 'utf8');

describe('docs/durability-postgres.md', () => {
  it('shows the table SQL exactly as outboxTableSql() prints it', () => {
    const marker = doc.indexOf('<!-- outbox-table-sql');
    expect(marker).toBeGreaterThan(0);
    const block = /```sql\n([\s\S]*?)```/.exec(doc.slice(marker));
    expect(block?.[1]).toBe(outboxTableSql());
  });
});
