// The shared Outbox contract (test/publisher/outbox-contract.ts), run against postgresOutbox on the real Postgres:
// the same behaviour the memory and file outboxes show. Its Postgres-only parts are in postgres-outbox.test.ts.
import { ensureOutboxTable, postgresOutbox } from '@teei/event-relay/postgres';
import { describe } from 'vitest';
import { pgAvailable } from '../helpers/services.js';
import { describeOutboxContract } from '../publisher/outbox-contract.js';
import { dropAndEnd, outboxTable, testPool } from './outbox-pg-fixtures.js';

describe.skipIf(!pgAvailable())('postgresOutbox', () => {
  describeOutboxContract(
    'postgresOutbox',
    async () => {
      const pool = testPool();
      const table = outboxTable();
      await ensureOutboxTable({ pool, table });
      return {
        outbox: postgresOutbox({ pool, table }),
        reopen: () => postgresOutbox({ pool, table }),
        cleanup: () => dropAndEnd([pool], [table]),
      };
    },
    { durable: true, transactions: true },
  );
});
