// `event-relay keys generate`, run as the built bin: the key material is checked with node:crypto.
import { createHmac, createPrivateKey, createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtCli, cli } from './built-cli.js';

// PKCS#8 DER prefix of an ed25519 private key: the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

beforeAll(async () => {
  await builtCli();
}, 120_000);

describe('event-relay keys generate', () => {
  it('prints a new whsec_ secret of 32 random bytes, alone on stdout; the hint goes to stderr', async () => {
    const [a, b] = await Promise.all([cli(['keys', 'generate']), cli(['keys', 'generate'])]);
    for (const run of [a!, b!]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^whsec_[A-Za-z0-9+/]+=*\n$/);
      expect(Buffer.from(run.stdout.trim().slice(6), 'base64')).toHaveLength(32);
      expect(run.stderr).toContain('CSR_WEBHOOK_SECRET on the sender and WEBHOOK_SIGNATURE_SECRET on the receiver');
    }
    expect(a!.stdout).not.toBe(b!.stdout);
  });

  it('makes a standard-webhooks secret whose decoded bytes are the HMAC key', async () => {
    const secret = (await cli(['keys', 'generate', '--scheme', 'standard-webhooks', '--json'])).stdout;
    const { scheme, secret: key } = JSON.parse(secret) as { scheme: string; secret: string };
    expect(scheme).toBe('standard-webhooks');
    const body = '{"type":"buddy.match.created"}';
    const signed = await cli(['sign', '--scheme', scheme, '--secret', key, '--id', 'msg_1', '--json'], { input: body });
    const headers = JSON.parse(signed.stdout) as Record<string, string>;
    const expected = createHmac('sha256', Buffer.from(key.slice(6), 'base64'))
      .update(`msg_1.${headers['webhook-timestamp']}.${body}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('prints an ed25519 pair with --ed25519: the signing key, then its public key', async () => {
    const run = await cli(['keys', 'generate', '--ed25519']);
    expect(run.code, run.stderr).toBe(0);
    const [signingKey, publicKey, extra] = run.stdout.split('\n');
    expect(extra).toBe('');
    expect(signingKey).toMatch(/^whsk_/);
    expect(publicKey).toMatch(/^whpk_/);
    const seed = Buffer.from(signingKey!.slice(5), 'base64');
    expect(seed).toHaveLength(32);
    const derived = createPublicKey(
      createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }),
    ).export({ format: 'jwk' }).x!;
    expect(Buffer.from(publicKey!.slice(5), 'base64').toString('base64url')).toBe(derived);
    expect(run.stderr).toContain('line 1: the signing key');
  });

  it('refuses --ed25519 for a scheme other than standard-webhooks, from the flag or CSR_WEBHOOK_SCHEME (exit 2)', async () => {
    const flag = await cli(['keys', 'generate', '--ed25519', '--scheme', 'teei-v1']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--ed25519 keys are for the standard-webhooks scheme, not teei-v1');
    expect(flag.stdout).toBe('');
    const env = await cli(['keys', 'generate', '--ed25519'], { env: { CSR_WEBHOOK_SCHEME: 'buddy-connector' } });
    expect(env.code).toBe(2);
    const fine = await cli(['keys', 'generate', '--ed25519'], { env: { CSR_WEBHOOK_SCHEME: 'standard-webhooks' } });
    expect(fine.code).toBe(0);
  });
});
