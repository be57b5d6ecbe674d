// The Outbox contract as tests, run against every outbox (memory, file, Postgres): `describeOutboxContract(name, make)`.
import { afterEach, describe, expect, it } from 'vitest';
import { createEnvelope, type Outbox, type OutboxRecord } from '../../src/index.js';

export interface OutboxUnderTest {
  /** A fresh, empty outbox. */
  readonly outbox: Outbox;
  /** A second handle on the same storage, opened after `outbox.close()`: durable outboxes only. */
  readonly reopen?: () => Outbox;
  /** Removes what the test created (files, tables). */
  cleanup(): Promise<void>;
}

let sequence = 0;
/** A record with a recognisable, ordered payload. */
export function outboxRecord(): OutboxRecord {
  sequence += 1;
  const envelope = createEnvelope('buddy.checkin.completed', {
    checkinId: '8f14e45f-ceea-4e7a-9d1b-2c8f6a3b5d71',
    matchId: '3c59dc04-8e1a-4f6b-a2d3-7e9f0b1c2d3e',
    checkinDate: '2026-01-15T10:30:00.000Z',
    notes: `record ${sequence} — ünïcode ✓`,
  });
  return { deliveryId: envelope.metadata.id, envelope, enqueuedAt: Date.now() };
}

const ids = (records: readonly OutboxRecord[]): string[] => records.map((r) => r.deliveryId);

export interface ContractOptions {
  /** Records survive `close()` and are handed to the next opener (give `reopen`). */
  readonly durable: boolean;
  /** `add(record, { transaction })` is supported (the Postgres outbox); otherwise it must be refused. */
  readonly transactions?: boolean;
}

export function describeOutboxContract(
  name: string,
  make: () => Promise<OutboxUnderTest>,
  options: ContractOptions,
): void {
  describe(`${name}: the Outbox contract`, () => {
    const opened: OutboxUnderTest[] = [];
    const setup = async (): Promise<OutboxUnderTest> => {
      const under = await make();
      opened.push(under);
      return under;
    };
    afterEach(async () => {
      for (const under of opened.splice(0)) {
        await under.outbox.close();
        await under.cleanup();
      }
    });

    it('add answers claimed; a held record is not handed out again until released', async () => {
      const { outbox } = await setup();
      const [a, b] = [outboxRecord(), outboxRecord()];
      expect(await outbox.add(a)).toBe('claimed');
      expect(await outbox.add(b)).toBe('claimed');
      expect(await outbox.size()).toBe(2);
      expect(await outbox.claim(10)).toEqual([]);
      await outbox.release([b.deliveryId]);
      await outbox.release([a.deliveryId]);
      const claimed = await outbox.claim(10);
      expect(new Set(ids(claimed))).toEqual(new Set([a.deliveryId, b.deliveryId]));
      expect(await outbox.claim(10)).toEqual([]);
    });

    it('claim hands out at most `limit` records, each once, with the envelope as stored', async () => {
      const { outbox } = await setup();
      const records = Array.from({ length: 5 }, outboxRecord);
      for (const r of records) await outbox.add(r);
      await outbox.release(ids(records));
      const first = await outbox.claim(3);
      const second = await outbox.claim(3);
      expect(first).toHaveLength(3);
      expect(second).toHaveLength(2);
      expect(new Set([...ids(first), ...ids(second)])).toEqual(new Set(ids(records)));
      const byId = new Map(records.map((r) => [r.deliveryId, r]));
      for (const r of [...first, ...second]) {
        expect(r.envelope).toEqual(byId.get(r.deliveryId)?.envelope);
        expect(r.enqueuedAt).toBe(byId.get(r.deliveryId)?.enqueuedAt);
      }
    });

    it('complete forgets for good; unknown ids are ignored', async () => {
      const { outbox } = await setup();
      const [a, b] = [outboxRecord(), outboxRecord()];
      await outbox.add(a);
      await outbox.add(b);
      await outbox.complete([a.deliveryId, 'no-such-id']);
      expect(await outbox.size()).toBe(1);
      await outbox.release([a.deliveryId, b.deliveryId, 'no-such-id']);
      expect(ids(await outbox.claim(10))).toEqual([b.deliveryId]);
      await outbox.complete([b.deliveryId]);
      await outbox.complete([b.deliveryId]);
      expect(await outbox.size()).toBe(0);
    });

    it('a deliveryId added twice is one record', async () => {
      const { outbox } = await setup();
      const a = outboxRecord();
      await outbox.add(a);
      await outbox.add(a);
      expect(await outbox.size()).toBe(1);
      await outbox.complete([a.deliveryId]);
      expect(await outbox.size()).toBe(0);
    });

    it('concurrent adds, claims and completes keep every record exactly once', async () => {
      const { outbox } = await setup();
      const records = Array.from({ length: 200 }, outboxRecord);
      await Promise.all(records.map((r) => outbox.add(r)));
      await Promise.all([outbox.release(ids(records.slice(0, 100))), outbox.complete(ids(records.slice(100, 150)))]);
      const claims = await Promise.all([outbox.claim(40), outbox.claim(40), outbox.claim(40)]);
      expect(new Set(claims.flatMap(ids))).toEqual(new Set(ids(records.slice(0, 100))));
      expect(claims.flat()).toHaveLength(100);
      expect(await outbox.size()).toBe(150);
    });

    // Defined only where it applies, so nothing shows as skipped: an outbox with transactions tests them itself.
    const refusesTransactions = options.transactions ? () => {} : it;
    refusesTransactions('a transaction is refused with a TypeError', async () => {
      const { outbox } = await setup();
      await expect(outbox.add(outboxRecord(), { transaction: {} })).rejects.toThrow(TypeError);
      expect(await outbox.size()).toBe(0);
    });

    it('says whether it is durable', async () => {
      const { outbox } = await setup();
      expect(outbox.durable).toBe(options.durable);
    });

    const durableOnly = options.durable ? it : () => {};
    durableOnly('a record added and not completed is available to the next opener', async () => {
      const under = await setup();
      if (under.reopen === undefined) throw new Error('a durable outbox under test needs reopen()');
      const records = Array.from({ length: 6 }, outboxRecord);
      for (const r of records) await under.outbox.add(r);
      await under.outbox.complete(ids(records.slice(0, 2)));
      await under.outbox.close();
      const next = under.reopen();
      try {
        expect(await next.size()).toBe(4);
        expect(new Set(ids(await next.claim(10)))).toEqual(new Set(ids(records.slice(2))));
      } finally {
        await next.close();
      }
    });

    it('close is idempotent', async () => {
      const { outbox } = await setup();
      await outbox.add(outboxRecord());
      await outbox.close();
      await outbox.close();
    });
  });
}
