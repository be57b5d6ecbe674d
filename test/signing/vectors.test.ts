import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isEventRelayError, type SchemeName, sign, verify } from '../../src/index.js';
import type { KeyEncoding } from '../../src/signing/types.js';

interface ValidCase {
  name: string;
  keyEncoding: KeyEncoding;
  secrets: string[];
  id: string;
  timestamp: string;
  body: string;
  signedContent: string;
  headers: Record<string, string>;
}
interface RejectedCase {
  name: string;
  keyEncoding: KeyEncoding;
  secrets: string[];
  now: string;
  toleranceSeconds: number;
  headers: Record<string, string>;
  body: string;
  error: string;
}
interface VectorFile {
  scheme: SchemeName;
  description: string;
  cases: ValidCase[];
  rejected: RejectedCase[];
}

const FILES = ['teei-v1', 'standard-webhooks', 'buddy-connector', 'sha256-body', 'standard-webhooks-v1a'];

function load(name: string): VectorFile {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}.json`, import.meta.url), 'utf8')) as VectorFile;
}

/** The verifier's keys: a v1a case verifies with the public key named in the file's description. */
function verifyingSecrets(file: VectorFile, testCase: ValidCase): string[] {
  const publicKey = /whpk_[A-Za-z0-9+/=]+/.exec(file.description)?.[0];
  return testCase.secrets.map((secret) => (secret.startsWith('whsk_') && publicKey ? publicKey : secret));
}

describe.each(FILES)('known-answer vectors: %s', (name) => {
  const file = load(name);

  it('has cases and rejections', () => {
    expect(file.cases.length).toBeGreaterThan(0);
    expect(file.rejected.length).toBeGreaterThan(0);
  });

  it.each(file.cases.map((c) => [c.name, c] as const))('signs "%s" exactly as stored', async (_name, testCase) => {
    const headers = await sign({
      scheme: file.scheme,
      secrets: testCase.secrets,
      keyEncoding: testCase.keyEncoding,
      id: testCase.id,
      timestamp: new Date(testCase.timestamp),
      body: testCase.body,
    });
    expect(headers).toEqual(testCase.headers);
  });

  it.each(file.cases.map((c) => [c.name, c] as const))('verifies "%s"', async (_name, testCase) => {
    for (const secrets of [testCase.secrets, verifyingSecrets(file, testCase)]) {
      const result = await verify({
        scheme: file.scheme,
        secrets,
        keyEncoding: testCase.keyEncoding,
        headers: testCase.headers,
        body: testCase.body,
        now: new Date(testCase.timestamp),
      });
      expect(result.id).toBe(testCase.id);
      expect(result.timestamp.toISOString()).toBe(testCase.timestamp);
    }
  });

  it.each(file.rejected.map((c) => [c.name, c] as const))('rejects "%s"', async (_name, testCase) => {
    const error = await verify({
      scheme: file.scheme,
      secrets: testCase.secrets,
      keyEncoding: testCase.keyEncoding,
      headers: testCase.headers,
      body: testCase.body,
      now: new Date(testCase.now),
      toleranceSeconds: testCase.toleranceSeconds,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isEventRelayError(error, 'SignatureVerificationError')).toBe(true);
    expect((error as { code: string }).code).toBe(testCase.error);
  });
});
