import { describe, expect, it } from 'vitest';
import { createReceiver } from '../../src/index.js';
import { signedRequest } from '../../src/testing/index.js';

const secret = 'rate-secret';

describe('rateLimit', () => {
  it('lets a burst through, answers 429 with Retry-After, then refills at requestsPerSecond', async () => {
    let now = 1_000_000;
    const receiver = createReceiver({ secret, rateLimit: { requestsPerSecond: 2, burst: 3, now: () => now } });
    const status = async () => {
      const req = await signedRequest({ secret });
      return receiver.handle({ method: 'POST', headers: req.headers, body: req.body });
    };
    for (let i = 0; i < 3; i++) expect((await status()).status).toBe(202);
    const limited = await status();
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(JSON.parse(limited.body).error).toBe('rate_limited');
    now += 500; // one token at 2/s
    expect((await status()).status).toBe(202);
    expect((await status()).status).toBe(429);
  });

  it('gives handleMessage a retry outcome with retryAfterMs', async () => {
    const receiver = createReceiver({ secret, rateLimit: { requestsPerSecond: 0.5, burst: 1, now: () => 0 } });
    const a = await signedRequest({ secret });
    const b = await signedRequest({ secret });
    expect((await receiver.handleMessage(a)).outcome).toBe('accepted');
    expect(await receiver.handleMessage(b)).toMatchObject({ outcome: 'retry', status: 429, retryAfterMs: 2000 });
  });

  it('does not spend a token on a request refused before the limiter', async () => {
    const receiver = createReceiver({ secret, rateLimit: { requestsPerSecond: 1, burst: 1, now: () => 0 } });
    const forged = await signedRequest({ secret: 'forged-secret' });
    expect((await receiver.handleMessage(forged)).status).toBe(401);
    expect((await receiver.handleMessage(await signedRequest({ secret }))).status).toBe(202);
  });
});
