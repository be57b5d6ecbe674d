// Replay defense (SPEC 12): the receiver dedupes on the event id inside the signed body, so the same event sent
// again under a new delivery-id header runs no handler, in every scheme. Over real HTTP (nodeReceiver, 127.0.0.1).
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver, type SchemeName } from '../../src/index.js';
import { schemeHeaders } from '../../src/signing/schemes/registry.js';
import { signedRequest } from '../../src/testing/index.js';
import { send } from '../adapters/http-client.js';
import { type Running, startServer } from '../adapters/servers.js';

const SECRETS: Record<SchemeName, string> = {
  'teei-v1': 'replay-test-secret',
  'standard-webhooks': `whsec_${Buffer.from('replay-test-secret-32-bytes-long').toString('base64')}`,
  'buddy-connector': 'replay-test-secret',
  'sha256-body': 'replay-test-secret',
};
// The schemes whose delivery-id header is outside the signature: an attacker can change it without the secret.
const UNSIGNED_ID: readonly SchemeName[] = ['buddy-connector', 'sha256-body'];

let server: Running | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(Object.keys(SECRETS) as SchemeName[])('replay under a new delivery id: %s', (scheme) => {
  const secret = SECRETS[scheme];
  const idHeader = schemeHeaders(scheme).id;

  async function start() {
    const receiver = createReceiver({ secret, scheme });
    const runs: { eventId: string; deliveryId: string }[] = [];
    receiver.onAny((event, ctx) => void runs.push({ eventId: event.metadata.id, deliveryId: ctx.deliveryId }));
    server = await startServer('node:http', receiver);
    return { url: server.url, runs };
  }

  it('the same event signed again under another delivery id is a duplicate', async () => {
    const { url, runs } = await start();
    const first = await signedRequest({ secret, scheme, deliveryId: 'delivery-1' });
    expect((await send(url, { headers: first.headers, body: first.body })).status).toBe(202);
    const again = await signedRequest({ secret, scheme, event: first.envelope, deliveryId: 'delivery-2' });
    expect(again.headers[idHeader]).toBe('delivery-2');
    const answer = await send(url, { headers: again.headers, body: again.body });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ acknowledged: true, eventId: first.envelope.metadata.id, duplicate: true });
    expect(runs).toEqual([{ eventId: first.envelope.metadata.id, deliveryId: 'delivery-1' }]);
  });

  it('a captured request with only its delivery-id header changed runs no handler', async () => {
    const { url, runs } = await start();
    const captured = await signedRequest({ secret, scheme, deliveryId: 'delivery-1' });
    expect((await send(url, { headers: captured.headers, body: captured.body })).status).toBe(202);
    const forged = { ...captured.headers, [idHeader]: 'forged-delivery' };
    // sha256-body binds no timestamp either: a month-old capture still verifies.
    if (scheme === 'sha256-body') forged['x-webhook-timestamp'] = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const answer = await send(url, { headers: forged, body: captured.body });
    // Where the id is signed the forgery fails verification; where it is not, the body's event id catches it.
    expect(answer.status).toBe(UNSIGNED_ID.includes(scheme) ? 200 : 401);
    if (answer.status === 200) expect(answer.json.duplicate).toBe(true);
    expect(runs).toHaveLength(1);
  });
});
