// Several receiver replicas, each its own process on 127.0.0.1, sharing one idempotency store on the real server:
// Redis through node-redis, Redis through ioredis, Postgres. The guarantees of docs/idempotency.md, tried for real:
// every event handled once in total when delivered to several replicas at once; a handler three times longer than
// the lease runs once; a replica SIGKILLed mid-handler blocks its events only until its lease lapses, and the
// sender's retry is then handled exactly once; a request replayed to a restarted replica is a duplicate.
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from '../../src/testing/index.js';
import { backendAvailable, openFixture, SHARED_BACKENDS, type StoreFixture } from './backends.js';
import { deliver, eachLimited, post, type Replica, startReplica, tally } from './replica-fleet.js';

const SECRET = 'replica-test-secret';
const LEASE_MS = 2_000;
const TYPE = 'test.replica.handled';

function event(sleepMs: number) {
  return signedRequest({ secret: SECRET, type: TYPE, data: { sleepMs } });
}

describe.each(SHARED_BACKENDS)('replicas sharing a %s store', (backend) => {
  let fixture: StoreFixture;
  let env: Record<string, string>;
  const started: Replica[] = [];
  let a: Replica;
  let b: Replica;
  let c: Replica;

  async function replica(name: string, extra: Record<string, string> = {}): Promise<Replica> {
    const r = await startReplica(name, { ...env, ...extra });
    started.push(r);
    return r;
  }

  beforeAll(async () => {
    if (!backendAvailable(backend)) return;
    fixture = await openFixture(backend);
    env = { ...fixture.env, SECRET, LEASE_MS: String(LEASE_MS) };
    [a, b, c] = await Promise.all([replica('A'), replica('B'), replica('C')]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(started.map((r) => r.child.stop()));
    await fixture?.close();
  }, 60_000);

  const run = it.skipIf(!backendAvailable(backend));

  run(
    '300 events, each delivered concurrently to two or three replicas: every handler completes exactly once in total',
    async () => {
      const fleet = [a, b, c];
      const requests = await Promise.all(Array.from({ length: 300 }, () => event(randomInt(0, 40))));
      const finals: number[][] = [];
      const deadline = Date.now() + 90_000;
      await eachLimited(requests, 60, async (req, i) => {
        // Every other event to all three; the rest to a pair that rotates.
        const targets = i % 2 === 0 ? fleet : [fleet[i % 3], fleet[(i + 1) % 3]];
        const answers = await Promise.all(targets.map((r) => deliver((r as Replica).url, req, deadline)));
        finals[i] = answers.map((statuses) => statuses.at(-1) as number);
      });
      const ids = requests.map((r) => r.envelope.metadata.id);
      const starts = tally(fleet.flatMap((r) => r.runs('start')));
      const dones = tally(fleet.flatMap((r) => r.runs('done')));
      for (const id of ids) {
        expect(starts.get(id), `handler runs started for ${id}`).toBe(1);
        expect(dones.get(id), `handler runs completed for ${id}`).toBe(1);
      }
      // Exactly one replica answered 202 for each event; the others acknowledged it as a duplicate.
      for (const answers of finals) {
        expect(answers.filter((s) => s === 202)).toHaveLength(1);
        expect(answers.filter((s) => s === 200)).toHaveLength(answers.length - 1);
      }
    },
    120_000,
  );

  run(
    'a handler three times longer than the lease runs once: the other replicas answer 409 until it completes',
    async () => {
      const req = await event(3 * LEASE_MS);
      const id = req.envelope.metadata.id;
      const first = post(a.url, req);
      const began = Date.now();
      await a.child.waitFor(new RegExp(`start ${id}`), 30_000);
      // The handler sleeps 3 leases from its start, so checks sent before `began + 3 leases` overlap it for sure.
      const meanwhile: { status: number; at: number }[] = [];
      let done = false;
      void first.then(() => {
        done = true;
      });
      while (!done) {
        for (const r of [b, c]) {
          const at = Date.now() - began;
          meanwhile.push({ status: (await post(r.url, req)).status, at });
        }
        await sleep(300);
      }
      expect((await first).status).toBe(202);
      const during = meanwhile.filter((m) => m.at < 3 * LEASE_MS - 200);
      for (const m of during) expect(m.status, `a check ${m.at} ms into the handler`).toBe(409);
      // Many of them came after the first lease would have lapsed without the heartbeat.
      expect(during.filter((m) => m.at > LEASE_MS + 500).length).toBeGreaterThanOrEqual(4);
      expect((await post(b.url, req)).status).toBe(200);
      expect((await post(c.url, req)).status).toBe(200);
      const all = [a, b, c];
      expect(all.flatMap((r) => r.runs('start')).filter((x) => x === id)).toHaveLength(1);
      expect(all.flatMap((r) => r.runs('done')).filter((x) => x === id)).toHaveLength(1);
    },
    60_000,
  );

  run(
    "a replica SIGKILLed mid-handler: after its lease lapses the sender's retries are handled, exactly once each",
    async () => {
      // K hangs in every handler; it is killed at a random moment while all its handlers run.
      const k = await replica('K', { HANDLER_MS: '600000' });
      const requests = await Promise.all(Array.from({ length: 10 }, () => event(0)));
      const ids = requests.map((r) => r.envelope.metadata.id);
      for (const req of requests) post(k.url, req).catch(() => {}); // answered by a reset when K dies
      for (const id of ids) await k.child.waitFor(new RegExp(`start ${id}`), 30_000);
      await sleep(randomInt(0, 1_000));
      k.child.process.kill('SIGKILL');
      const killedAt = Date.now();
      const restarting = replica('K2');

      const firstRetries: { status: number; afterMs: number }[] = [];
      const deadline = Date.now() + 30_000;
      await Promise.all(
        requests.map(async (req, i) => {
          const target = i % 2 === 0 ? b : c;
          const sentAt = Date.now();
          const statuses = await deliver(target.url, req, deadline);
          firstRetries.push({ status: statuses[0] as number, afterMs: sentAt - killedAt });
          expect(statuses.at(-1)).toBe(202);
        }),
      );
      // Retries sent well inside the lease found the dead replica's claim still held.
      // (K renewed every third of the lease, so its claims lapse between 2/3 of the lease and the whole of it.)
      for (const r of firstRetries.filter((x) => x.afterMs < 300)) {
        expect(r.status, `first retry, ${r.afterMs} ms after the kill`).toBe(409);
      }

      const k2 = await restarting;
      for (const req of requests) expect((await post(k2.url, req)).status).toBe(200);
      await k.child.exited;
      expect(k.runs('start').sort()).toEqual([...ids].sort());
      expect(k.runs('done')).toEqual([]);
      const survivors = [a, b, c, k2];
      const starts = tally(survivors.flatMap((r) => r.runs('start')));
      const dones = tally(survivors.flatMap((r) => r.runs('done')));
      for (const id of ids) {
        expect(starts.get(id), `runs started after the crash for ${id}`).toBe(1);
        expect(dones.get(id), `runs completed for ${id}`).toBe(1);
      }
    },
    90_000,
  );

  run(
    'a teei-v1 request replayed to a restarted replica (a new process) runs no handler',
    async () => {
      const captured = await event(0);
      expect((await post(c.url, captured)).status).toBe(202);
      c.child.process.kill('SIGKILL');
      await c.child.exited;
      const restarted = await replica('C2');
      const replay = await post(restarted.url, captured);
      expect(replay.status).toBe(200);
      expect(JSON.parse(replay.body)).toMatchObject({ duplicate: true, eventId: captured.envelope.metadata.id });
      expect(restarted.runs('start')).toEqual([]);
    },
    90_000,
  );
});
