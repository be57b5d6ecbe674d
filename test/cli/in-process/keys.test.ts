// `event-relay keys generate` in this process: the key material is checked with node:crypto.
import { createHmac, createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../memory-io.js';

// PKCS#8 DER prefix of an ed25519 private key: the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

describe('keys generate', () => {
  it('prints a new whsec_ secret of 32 random bytes alone on stdout; the hint names the variables on stderr', async () => {
    const [a, b] = [await runCli(['keys', 'generate']), await runCli(['keys', 'generate'])];
    for (const run of [a, b]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^whsec_[A-Za-z0-9+/]+=*\n$/);
      expect(Buffer.from(run.stdout.trim().slice(6), 'base64')).toHaveLength(32);
      expect(run.stderr).toBe(
        'a teei-v1 secret: set it as CSR_WEBHOOK_SECRET on the sender and WEBHOOK_SIGNATURE_SECRET on the receiver\n',
      );
    }
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('prints JSON with --json, for the scheme of CSR_WEBHOOK_SCHEME; the secret signs as sign does', async () => {
    const run = await runCli(['keys', 'generate', '--json'], { env: { CSR_WEBHOOK_SCHEME: 'standard-webhooks' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const { scheme, secret } = JSON.parse(run.stdout) as { scheme: string; secret: string };
    expect(scheme).toBe('standard-webhooks');
    const signed = await runCli(
      ['sign', '--scheme', scheme, '--secret', secret, '--id', 'msg_1', '--timestamp', '1767225600', '--json'],
      {
        stdin: 'body',
      },
    );
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(JSON.parse(signed.stdout)['webhook-signature']).toBe(
      `v1,${createHmac('sha256', key).update('msg_1.1767225600.body').digest('base64')}`,
    );
  });

  it('prints an ed25519 pair with --ed25519: a signing key whose public half is the whpk_ line', async () => {
    const run = await runCli(['keys', 'generate', '--ed25519']);
    expect(run.code).toBe(0);
    const [signing, pub, ...rest] = run.stdout.split('\n');
    expect(rest).toEqual(['']);
    expect(signing).toMatch(/^whsk_/);
    expect(pub).toMatch(/^whpk_/);
    expect(run.stderr).toContain('line 1: the signing key (whsk_)');
    expect(run.stderr).toContain('line 2: the public key (whpk_)');
    const seed = Buffer.from(signing!.slice(5), 'base64').subarray(0, 32);
    const privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const x = Buffer.from(pub!.slice(5), 'base64').toString('base64url');
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    const message = Buffer.from('hello');
    expect(cryptoVerify(null, message, publicKey, cryptoSign(null, message, privateKey))).toBe(true);
  });

  it('prints the pair as JSON with --ed25519 --json, with the scheme stated', async () => {
    const run = await runCli(['keys', 'generate', '--ed25519', '--json', '--scheme', 'standard-webhooks']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      scheme: 'standard-webhooks',
      signingKey: expect.stringMatching(/^whsk_/),
      publicKey: expect.stringMatching(/^whpk_/),
    });
    expect(run.stderr).toBe('');
  });

  it('refuses --ed25519 for another scheme, given by flag or variable (exit 2)', async () => {
    const flag = await runCli(['keys', 'generate', '--ed25519', '--scheme', 'teei-v1']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--ed25519 keys are for the standard-webhooks scheme, not teei-v1');
    const variable = await runCli(['keys', 'generate', '--ed25519'], {
      env: { CSR_WEBHOOK_SCHEME: 'buddy-connector' },
    });
    expect(variable.code).toBe(2);
    expect(variable.stderr).toContain('not buddy-connector');
    expect(variable.stdout).toBe('');
  });
});
