// The Web Crypto engine is what edge runtimes use; Node never selects it, so it is driven here directly through the
// internal builders, against the same known-answer vectors as the node:crypto engine.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SchemeName } from '../../src/index.js';
import { buildSigner } from '../../src/signing/create-signer.js';
import { buildVerifier } from '../../src/signing/create-verifier.js';
import { webEngine } from '../../src/signing/engine/web-engine.js';
import type { KeyEncoding } from '../../src/signing/types.js';

interface VectorFile {
  scheme: SchemeName;
  description: string;
  cases: {
    name: string;
    keyEncoding: KeyEncoding;
    secrets: string[];
    id: string;
    timestamp: string;
    body: string;
    headers: Record<string, string>;
  }[];
  rejected: {
    name: string;
    keyEncoding: KeyEncoding;
    secrets: string[];
    now: string;
    headers: Record<string, string>;
    body: string;
    error: string;
  }[];
}

const engine = webEngine(globalThis.crypto.subtle);
const FILES = ['teei-v1', 'standard-webhooks', 'buddy-connector', 'sha256-body', 'standard-webhooks-v1a'];

describe.each(FILES)('Web Crypto engine on the %s vectors', (name) => {
  const file = JSON.parse(readFileSync(new URL(`../vectors/${name}.json`, import.meta.url), 'utf8')) as VectorFile;
  const publicKey = /whpk_[A-Za-z0-9+/=]+/.exec(file.description)?.[0];

  it('signs every case as stored and verifies it, also with the public key for v1a', async () => {
    for (const c of file.cases) {
      const options = { scheme: file.scheme, secrets: c.secrets, keyEncoding: c.keyEncoding };
      const signer = buildSigner(options, engine);
      expect(signer.signSync).toBeUndefined();
      expect(await signer.sign({ id: c.id, body: c.body, timestamp: new Date(c.timestamp) })).toEqual(c.headers);
      const secrets = publicKey ? c.secrets.map((s) => (s.startsWith('whsk_') ? publicKey : s)) : c.secrets;
      for (const keys of [c.secrets, secrets]) {
        const verifier = buildVerifier({ ...options, secrets: keys }, engine);
        const result = await verifier.verify({ headers: c.headers, body: c.body, now: new Date(c.timestamp) });
        expect(result.id).toBe(c.id);
      }
    }
  });

  it('rejects every rejected case with the stored code', async () => {
    for (const c of file.rejected) {
      const verifier = buildVerifier({ scheme: file.scheme, secrets: c.secrets, keyEncoding: c.keyEncoding }, engine);
      await expect(verifier.verify({ headers: c.headers, body: c.body, now: new Date(c.now) })).rejects.toMatchObject({
        name: 'SignatureVerificationError',
        code: c.error,
      });
    }
  });
});

describe('Web Crypto engine with byte bodies', () => {
  it('signs a Uint8Array body like the same string', async () => {
    const signer = buildSigner({ secret: 'k' }, engine);
    const timestamp = new Date('2026-01-01T00:00:00.000Z');
    const body = '{"a":"ü"}';
    expect(await signer.sign({ id: 'x', body: new TextEncoder().encode(body), timestamp })).toEqual(
      await signer.sign({ id: 'x', body, timestamp }),
    );
  });

  it('keeps each concurrent signature with its own timestamp', async () => {
    const signer = buildSigner({ secret: 'k' }, engine);
    const verifier = buildVerifier({ secret: 'k' }, engine);
    const times = [0, 1, 2, 3].map((i) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    const all = await Promise.all(times.map((timestamp) => signer.sign({ id: 'x', body: 'b', timestamp })));
    for (const [i, headers] of all.entries()) {
      expect(headers['X-Webhook-Timestamp']).toBe(times[i]?.toISOString());
      await expect(verifier.verify({ headers, body: 'b', now: times[i] as Date })).resolves.toMatchObject({ id: 'x' });
    }
  });

  it('refuses a whpk_ public key for signing', () => {
    expect(() =>
      buildSigner({ scheme: 'standard-webhooks', secret: 'whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=' }, engine),
    ).toThrow(/public key can verify but not sign/);
  });
});
