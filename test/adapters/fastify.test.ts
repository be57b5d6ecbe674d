import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { afterEach, describe, expect, it } from 'vitest';
import { fastifyReceiver } from '../../src/adapters/fastify.js';
import { createReceiver } from '../../src/index.js';
import { signedRequest } from '../../src/testing/index.js';
import { send } from './http-client.js';

const secret = 'fastify-secret';
let close: (() => Promise<unknown>) | undefined;

afterEach(async () => {
  await close?.();
  close = undefined;
});

const versions = [
  ['fastify 4', fastify4 as unknown as typeof fastify5],
  ['fastify 5', fastify5],
] as const;

describe.each(versions)('fastifyReceiver on %s', (_name, Fastify) => {
  it('keeps JSON parsing for the rest of the app', async () => {
    const receiver = createReceiver({ secret });
    const app = Fastify();
    await app.register(fastifyReceiver, { receiver });
    app.post('/echo', async (request) => ({ got: request.body }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const echo = await send(url, {
      path: '/echo',
      headers: { 'content-type': 'application/json' },
      body: '{"a":[1,2]}',
    });
    expect(echo.status).toBe(200);
    expect(echo.json).toEqual({ got: { a: [1, 2] } });
    expect((await send(url, await signedRequest({ secret }))).status).toBe(202);
  });

  it('takes a prefix and custom paths', async () => {
    const receiver = createReceiver({ secret });
    const app = Fastify();
    await app.register(fastifyReceiver, { receiver, prefix: '/api', path: '/events', healthPath: '/status' } as never);
    await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    expect((await send(url, { ...(await signedRequest({ secret })), path: '/api/events' })).status).toBe(202);
    expect((await send(url, { method: 'GET', path: '/api/status' })).json.accepted).toBe(1);
  });

  it('refuses a missing receiver with a TypeError', async () => {
    const app = Fastify();
    await expect(app.register(fastifyReceiver, {} as never)).rejects.toThrow(/receiver/);
  });
});
