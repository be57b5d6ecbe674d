/**
 * The app every runtime serves in `npm run test:runtimes`: the package's Hono receiver, plus routes that run the
 * package inside the runtime (a sign/verify round trip in every scheme, a publish through `httpTransport`) and report
 * what they saw. Bundled from the built dist/ by run.ts, so it exercises the files users install.
 *
 * @module
 */
import {
  buddyCatalog,
  createEnvelope,
  createPublisher,
  createReceiver,
  createSigner,
  httpTransport,
  isSignatureVerificationError,
  type SchemeName,
  sign,
  silentLogger,
  verify,
} from '@teei/event-relay';
import { honoReceiver } from '@teei/event-relay/hono';
import { signedRequest } from '@teei/event-relay/testing';
import { Hono } from 'hono';

const SCHEMES: readonly SchemeName[] = ['teei-v1', 'standard-webhooks', 'buddy-connector', 'sha256-body'];

/**
 * What the runtime reports on `GET /info`.
 *
 * @example `{ runtime: 'deno', version: '2.9.6', hmac: 'node:crypto', nodeModules: true }`
 */
export interface RuntimeInfo {
  runtime: string;
  version: string;
  /** The HMAC engine the signer picked: synchronous `node:crypto`, or Web Crypto. */
  hmac: 'node:crypto' | 'Web Crypto';
  /** Whether `process.getBuiltinModule` exists (Node's modules reachable without an import). */
  nodeModules: boolean;
}

/**
 * Builds the app around one secret. Routes: the receiver (`POST /webhooks/buddy-events`), `GET /info`, `GET /handled`
 * (the event ids its handler ran for), `GET /roundtrip`, `GET /testing` (a request from `./testing`'s builder through
 * the receiver, inside the runtime) and `POST /publish?url=`.
 *
 * @example
 * ```ts
 * export default { fetch: createApp(secret, info).fetch }
 * ```
 */
export function createApp(secret: string, runtime: Pick<RuntimeInfo, 'runtime' | 'version'>): Hono {
  const receiver = createReceiver({ secret, catalog: buddyCatalog, logger: false });
  const handled: string[] = [];
  receiver.onAny(async (event) => {
    handled.push(event.metadata.id);
  });
  const app = new Hono();
  app.route('/', honoReceiver(receiver));
  app.get('/info', (c) => {
    const proc = (globalThis as { process?: { getBuiltinModule?: unknown } }).process;
    const info: RuntimeInfo = {
      ...runtime,
      hmac: createSigner({ secret }).signSync ? 'node:crypto' : 'Web Crypto',
      nodeModules: typeof proc?.getBuiltinModule === 'function',
    };
    return c.json(info);
  });
  app.get('/handled', (c) => c.json(handled));
  app.get('/roundtrip', async (c) => c.json(await roundTrips(secret)));
  app.get('/testing', async (c) => {
    const request = await signedRequest({ secret, type: 'buddy.feedback.submitted' });
    const answer = await app.request('/webhooks/buddy-events', { method: 'POST', ...request });
    return c.json({ status: answer.status, handled: handled.includes(request.envelope.metadata.id) });
  });
  app.post('/publish', async (c) => {
    const url = c.req.query('url');
    const transport = httpTransport({ url, secret });
    const publisher = createPublisher({ transport, retry: { retries: 0 }, logger: silentLogger });
    const event = createEnvelope('buddy.checkin.completed', {
      checkinId: crypto.randomUUID(),
      matchId: crypto.randomUUID(),
      checkinDate: new Date().toISOString(),
    });
    try {
      const receipt = await publisher.publish(event);
      return c.json({ ok: true, status: receipt.status, eventId: event.metadata.id });
    } catch (error) {
      return c.json({ ok: false, error: String(error) }, 500);
    } finally {
      await publisher.close();
    }
  });
  return app;
}

/** Per scheme: signs, verifies, and checks that a changed body fails with `invalid_signature`. */
async function roundTrips(secret: string): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  const body = JSON.stringify({ hello: 'wörld', at: new Date().toISOString() });
  for (const scheme of SCHEMES) {
    const key = scheme === 'standard-webhooks' ? `whsec_${btoa(secret)}` : secret;
    try {
      const headers = await sign({ scheme, secret: key, id: 'msg_roundtrip', body });
      await verify({ scheme, secret: key, headers, body });
      try {
        await verify({ scheme, secret: key, headers, body: `${body} ` });
        results[scheme] = 'tampered body accepted';
      } catch (error) {
        results[scheme] =
          isSignatureVerificationError(error) && error.code === 'invalid_signature' ? 'ok' : `tampered: ${error}`;
      }
    } catch (error) {
      results[scheme] = `failed: ${error}`;
    }
  }
  return results;
}
