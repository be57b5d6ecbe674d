// Property test over real HTTP (node:http adapter): hostile requests never get a 5xx, never cause an unhandled
// rejection, and the server still accepts a valid event afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buddyCatalog, createReceiver } from '../../src/index.js';
import { signedRequest } from '../../src/testing/index.js';
import { FUZZ_SECRET, hostileRequest } from '../receiver/fuzz-arbitraries.js';
import { send } from './http-client.js';
import { type Running, startServer } from './servers.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
const receiver = createReceiver({ secret: FUZZ_SECRET, catalog: buddyCatalog, maxBodyBytes: 64 * 1024 });
let server: Running;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startServer('node:http', receiver);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.close();
});

describe('nodeReceiver over HTTP with hostile requests', () => {
  it('answers every request below 500, and a valid event afterwards', async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (pending) => {
        const { method, headers, body } = await pending;
        const res = await send(server.url, { method, headers, ...(method === 'GET' ? {} : { body }) });
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        expect(res.text).not.toContain(FUZZ_SECRET);
      }),
      { numRuns: 100 },
    );
    const valid = await signedRequest({ secret: FUZZ_SECRET });
    expect((await send(server.url, valid)).status).toBe(202);
    expect(receiver.health().failed).toBe(0);
    expect(unhandled).toEqual([]);
  });
});
