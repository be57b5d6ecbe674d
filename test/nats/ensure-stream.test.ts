import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STREAM_OPTIONS, ensureStream } from '../../src/transports/nats.js';
import { natsAvailable } from '../helpers/nats.js';
import { connectTestNats } from './support.js';

describe.skipIf(!natsAvailable())('ensureStream', () => {
  let nc: NatsConnection;
  const created: string[] = [];
  const unique = () => {
    const prefix = `t${randomBytes(6).toString('hex')}`;
    const name = `TEST_${prefix.toUpperCase()}`;
    created.push(name);
    return { prefix, name };
  };

  beforeAll(async () => {
    nc = await connectTestNats();
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    for (const name of created) await jsm.streams.delete(name).catch(() => undefined);
    await nc.close();
  });

  it('creates the stream with the duplicate window given', async () => {
    const { prefix, name } = unique();
    const info = await ensureStream(nc, { name, subjects: [`${prefix}.>`], duplicateWindowMs: 30_000 });
    expect(info.config.name).toBe(name);
    expect(info.config.subjects).toEqual([`${prefix}.>`]);
    expect(info.config.duplicate_window).toBe(30_000 * 1_000_000);
  });

  it('is idempotent: a second call with the same settings leaves the stream and its messages alone', async () => {
    const { prefix, name } = unique();
    const first = await ensureStream(nc, { name, subjects: [`${prefix}.>`] });
    await nc.request(`${prefix}.a.b.c`, 'x');
    const again = await ensureStream(nc, { name, subjects: [`${prefix}.>`] });
    expect(again.created).toBe(first.created);
    expect(again.state.messages).toBe(1);
  });

  it('updates subjects, window and extra config when they differ, keeping the messages', async () => {
    const { prefix, name } = unique();
    await ensureStream(nc, { name, subjects: [`${prefix}.>`] });
    await nc.request(`${prefix}.a.b.c`, 'x');
    const updated = await ensureStream(nc, {
      name,
      subjects: [`${prefix}.>`, `${prefix}x.>`],
      duplicateWindowMs: 60_000,
      config: { max_msgs: 1000 },
    });
    expect([...updated.config.subjects].sort()).toEqual([`${prefix}.>`, `${prefix}x.>`]);
    expect(updated.config.duplicate_window).toBe(60_000 * 1_000_000);
    expect(updated.config.max_msgs).toBe(1000);
    expect(updated.state.messages).toBe(1);
  });

  it('uses BUDDY_EVENTS on buddy.> with a 2-minute window by default', () => {
    expect(DEFAULT_STREAM_OPTIONS).toEqual({
      name: 'BUDDY_EVENTS',
      subjects: ['buddy.>'],
      duplicateWindowMs: 120_000,
      replicas: 1,
    });
  });

  it('rejects bad options with a TypeError naming the option', async () => {
    await expect(ensureStream(nc, { name: 'a.b' })).rejects.toThrow(/`name`/);
    await expect(ensureStream(nc, { name: 'X', subjects: [] })).rejects.toThrow(/`subjects`/);
    await expect(ensureStream(nc, { name: 'X', duplicateWindowMs: 0 })).rejects.toThrow(/`duplicateWindowMs`/);
    await expect(ensureStream(nc, { name: 'X', replicas: 0 })).rejects.toThrow(/`replicas`/);
    await expect(ensureStream(nc, { name: 'X', replicas: 2.5 })).rejects.toThrow(/`replicas`/);
    await expect(ensureStream(nc, { name: 'X', replicas: 3, config: { num_replicas: 1 } })).rejects.toThrow(
      /`replicas`/,
    );
  });

  it('creates one replica on a single server, and the server refuses more than it has', async () => {
    const { prefix, name } = unique();
    expect((await ensureStream(nc, { name, subjects: [`${prefix}.>`] })).config.num_replicas).toBe(1);
    const other = unique();
    await expect(ensureStream(nc, { name: other.name, subjects: [`${other.prefix}.>`], replicas: 3 })).rejects.toThrow(
      /replicas/i,
    );
  });
});
