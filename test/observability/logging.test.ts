import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeReceiver } from '../../src/adapters/node.js';
import {
  buddyCatalog,
  createPublisher,
  createReceiver,
  httpTransport,
  type Logger,
  PermanentEventError,
} from '../../src/index.js';
import type { LogRecord } from '../../src/observability/logger.js';
import { buddySample } from '../../src/testing/index.js';

const SECRET = 'logging-test-secret-value';
type Level = 'debug' | 'info' | 'warn' | 'error';
interface Line {
  level: Level;
  obj: LogRecord;
  msg: string | undefined;
}

function captureLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: Level) => (obj: LogRecord, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('logging through a publish and receive run', () => {
  it('carries the SPEC fields at the right levels and never a secret or a signature', async () => {
    const receiverLog = captureLogger();
    const publisherLog = captureLogger();
    const receiver = createReceiver({ secret: SECRET, catalog: buddyCatalog, logger: receiverLog });
    let checkinFailures = 0;
    receiver.on('buddy.checkin.completed', async () => {
      if (checkinFailures++ === 0) throw new Error('database unavailable');
    });
    receiver.on('buddy.milestone.reached', async () => {
      throw new PermanentEventError('milestones are not handled here');
    });
    receiver.onAny(async () => {});
    const handle = nodeReceiver(receiver);
    const signatures: string[] = [];
    let first = true;
    server = createServer((req, res) => {
      signatures.push(String(req.headers['x-webhook-signature']));
      if (first) {
        first = false;
        req.resume();
        res.writeHead(503).end();
        return;
      }
      handle(req, res);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/buddy-events`;
    const publisher = createPublisher({
      transport: httpTransport({ url, secret: SECRET }),
      catalog: buddyCatalog,
      retry: { retries: 2, initialDelayMs: 1, jitter: false },
      logger: publisherLog,
    });

    const correlationId = randomUUID();
    const match = await publisher.publish('buddy.match.created', buddySample('buddy.match.created'), { correlationId });
    const checkin = await publisher.publish('buddy.checkin.completed', buddySample('buddy.checkin.completed'));
    await expect(
      publisher.publish('buddy.milestone.reached', buddySample('buddy.milestone.reached')),
    ).rejects.toThrow();
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-id': 'x', 'x-webhook-signature': 'sha256=00' },
      body: '{"type":"buddy.match.created"}',
    });
    expect(forged.status).toBe(401);
    await publisher.close();

    // Publisher: a retry at warn, a delivery at info, a dead letter at error, each with the SPEC fields.
    const retry = publisherLog.lines.find((l) => l.level === 'warn' && l.obj.eventId === match.eventId);
    expect(retry?.obj).toMatchObject({
      operation: 'publish',
      eventType: 'buddy.match.created',
      deliveryId: match.deliveryId,
      attempt: 1,
      status: 503,
      correlationId,
    });
    const delivered = publisherLog.lines.find((l) => l.level === 'info' && l.obj.eventId === match.eventId);
    expect(delivered?.obj).toMatchObject({
      operation: 'publish',
      eventType: 'buddy.match.created',
      deliveryId: match.deliveryId,
      attempt: 2,
      status: 202,
      correlationId,
    });
    expect(delivered?.obj.duration_ms).toEqual(expect.any(Number));
    const deadLettered = publisherLog.lines.find(
      (l) => l.level === 'error' && l.obj.eventType === 'buddy.milestone.reached',
    );
    expect(deadLettered?.obj).toMatchObject({ operation: 'publish', status: 422, attempt: 1 });
    expect(deadLettered?.obj.duration_ms).toEqual(expect.any(Number));

    // Receiver: accepted at debug, refused at warn, a failed handler at error.
    const accepted = receiverLog.lines.find((l) => l.obj.eventId === match.eventId && l.obj.status === 202);
    expect(accepted?.level).toBe('debug');
    expect(accepted?.obj).toMatchObject({
      operation: 'receive',
      eventType: 'buddy.match.created',
      deliveryId: match.deliveryId,
      correlationId,
    });
    expect(accepted?.obj.duration_ms).toEqual(expect.any(Number));
    const failed = receiverLog.lines.find((l) => l.obj.eventId === checkin.eventId && l.obj.status === 500);
    expect(failed?.level).toBe('error');
    expect(JSON.stringify(failed?.obj)).toContain('database unavailable');
    const refused = receiverLog.lines.find((l) => l.obj.eventType === 'buddy.milestone.reached');
    expect(refused).toMatchObject({ level: 'warn', obj: { operation: 'receive', status: 422 } });
    const unsigned = receiverLog.lines.find((l) => l.obj.status === 401);
    expect(unsigned).toMatchObject({ level: 'warn', obj: { operation: 'receive' } });

    // Nothing secret: not the secret, not one signature sent, not the forged one.
    const everything = JSON.stringify([...publisherLog.lines, ...receiverLog.lines]);
    expect(everything).not.toContain(SECRET);
    const sent = signatures.map((s) => s.replace(/^sha256=/, '')).filter((hex) => hex.length >= 64);
    expect(sent.length).toBeGreaterThan(4);
    for (const hex of sent) expect(everything).not.toContain(hex);
    expect(everything).not.toContain('sha256=');
  });
});
