/**
 * The checks run against each runtime, from the host (Node 20): a signed request through `honoReceiver` (signed
 * with the package's signer, the signature first checked with `node:crypto`), the same again (a duplicate), a bad
 * signature, the round trips inside the runtime, `./testing`'s request builder inside the runtime, and a publish from
 * the runtime back to the host.
 *
 * @module
 */
import type * as Package from '@teei/event-relay';
import type { RuntimeInfo } from './app/create-app.js';
import type { Client, HostReceiver } from './host-receiver.js';
import { teeiSignature } from './teei-signature.js';

/** Every request to a runtime gives up after this long. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * One runtime's results: `ok`, or what went wrong, per check.
 *
 * @example `{ info, results: { 'signed 202': 'ok', 'bad sig 401': 'got 202' } }`
 */
export interface CheckReport {
  info?: RuntimeInfo;
  /** The client `httpTransport` sent through inside the runtime, as the host saw it. */
  client?: Client;
  results: Record<string, string>;
}

/** The checks, in order, by name. */
export const CHECKS = ['signed 202', 'duplicate 200', 'bad sig 401', 'round trip', 'testing', 'publish'] as const;

async function call(url: string, init?: RequestInit): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Kept as text for the report.
  }
  return { status: response.status, json };
}

function expectStatus(answer: { status: number; json: unknown }, status: number, test?: (json: never) => boolean) {
  if (answer.status !== status) return `got ${answer.status}: ${JSON.stringify(answer.json).slice(0, 200)}`;
  if (test && !test(answer.json as never)) return `unexpected body: ${JSON.stringify(answer.json).slice(0, 200)}`;
  return 'ok';
}

/**
 * Runs every check against the runtime at `base`; a check that throws is reported, never fatal to the others.
 *
 * @example `const report = await runChecks(lib, 'http://127.0.0.1:4000', secret, host)`
 */
export async function runChecks(
  lib: typeof Package,
  base: string,
  secret: string,
  host: HostReceiver,
): Promise<CheckReport> {
  const report: CheckReport = { results: {} };
  const attempt = async (name: (typeof CHECKS)[number], run: () => Promise<string>): Promise<void> => {
    try {
      report.results[name] = await run();
    } catch (error) {
      report.results[name] = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  report.info = (await call(`${base}/info`)).json as RuntimeInfo;

  const event = lib.createEnvelope('buddy.match.created', {
    matchId: crypto.randomUUID(),
    participantId: crypto.randomUUID(),
    buddyId: crypto.randomUUID(),
    matchedAt: new Date().toISOString(),
  });
  const body = lib.serializeEvent(event);
  const headers = await lib.sign({ secret, id: event.metadata.id, body });
  const post = (signed: Record<string, string>) =>
    call(`${base}/webhooks/buddy-events`, {
      method: 'POST',
      headers: { ...signed, 'content-type': 'application/json' },
      body,
    });
  const acknowledged = (json: { acknowledged?: boolean; eventId?: string }) =>
    json.acknowledged === true && json.eventId === event.metadata.id;

  await attempt('signed 202', async () => {
    const expected = teeiSignature(secret, event.metadata.id, headers['X-Webhook-Timestamp'] ?? '', body);
    if (headers['X-Webhook-Signature'] !== expected) return 'the signer disagrees with node:crypto';
    const answer = await post(headers);
    const handled = (await call(`${base}/handled`)).json as string[];
    if (answer.status === 202 && !handled.includes(event.metadata.id)) return '202 but the handler did not run';
    return expectStatus(answer, 202, acknowledged);
  });
  await attempt('duplicate 200', async () =>
    expectStatus(await post(headers), 200, (json: { duplicate?: boolean }) => json.duplicate === true),
  );
  await attempt('bad sig 401', async () => {
    const forged = { ...headers, 'X-Webhook-Signature': teeiSignature(`${secret}x`, event.metadata.id, '0', body) };
    return expectStatus(await post(forged), 401);
  });
  await attempt('round trip', async () => {
    const answer = await call(`${base}/roundtrip`);
    const failed = Object.entries(answer.json as Record<string, string>).filter(([, result]) => result !== 'ok');
    if (answer.status !== 200) return `got ${answer.status}`;
    return failed.length === 0 ? 'ok' : failed.map(([scheme, result]) => `${scheme}: ${result}`).join('; ');
  });
  await attempt('testing', async () =>
    expectStatus(await call(`${base}/testing`), 200, (json: { status?: number; handled?: boolean }) => {
      return json.status === 202 && json.handled === true;
    }),
  );
  await attempt('publish', async () => {
    const answer = await call(`${base}/publish?url=${encodeURIComponent(host.url)}`, { method: 'POST' });
    const result = answer.json as { ok?: boolean; status?: number; eventId?: string; error?: string };
    if (!result.ok) return `failed: ${result.error ?? answer.status}`;
    if (result.status !== 202) return `status ${result.status}`;
    const client = result.eventId === undefined ? undefined : host.verified.get(result.eventId);
    if (client === undefined) return 'the host did not verify it';
    report.client = client;
    return 'ok';
  });
  return report;
}
