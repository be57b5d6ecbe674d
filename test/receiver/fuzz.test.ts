// Property tests over receiver.handle(): whatever arrives, the answer is a 4xx or a 2xx with a JSON body, never a
// 5xx, never a rejection, and the receiver still accepts a valid event afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buddyCatalog, createReceiver } from '../../src/index.js';
import { signedRequest } from '../../src/testing/index.js';
import { FUZZ_SECRET, hostileRequest } from './fuzz-arbitraries.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

describe.each([
  ['required', { secret: FUZZ_SECRET, catalog: buddyCatalog }],
  ['optional', { secret: FUZZ_SECRET, catalog: buddyCatalog, signature: 'optional' as const }],
  ['disabled, no catalog', { signature: 'disabled' as const }],
])('receiver.handle() with hostile input (signature %s)', (_name, options) => {
  it('answers 2xx or 4xx with a JSON body, never rejects, and still accepts a valid event', async () => {
    const receiver = createReceiver({ ...options, maxBodyBytes: 256 * 1024 });
    receiver.onAny(() => {});
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (pending) => {
        const request = await pending;
        const res = await receiver.handle(request);
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        const body = JSON.parse(res.body) as Record<string, unknown>;
        expect('error' in body || body.acknowledged === true).toBe(true);
        expect(res.body).not.toContain(FUZZ_SECRET);
      }),
      { numRuns: 300 },
    );
    const valid = await signedRequest({ secret: FUZZ_SECRET });
    expect((await receiver.handle({ method: 'POST', headers: valid.headers, body: valid.body })).status).toBe(202);
    expect(receiver.health().failed).toBe(0);
    expect(unhandled).toEqual([]);
  });
});

describe('receiver.handleMessage() with hostile input', () => {
  it('always resolves to an outcome other than a failure of its own', async () => {
    const receiver = createReceiver({ secret: FUZZ_SECRET, catalog: buddyCatalog });
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (pending) => {
        const { headers, body } = await pending;
        const result = await receiver.handleMessage({ headers, body });
        expect(['accepted', 'duplicate', 'reject']).toContain(result.outcome);
      }),
      { numRuns: 200 },
    );
  });
});
