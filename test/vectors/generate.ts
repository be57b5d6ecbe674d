/**
 * Writes the known-answer vectors in `test/vectors/*.json`. Run once with `npx tsx test/vectors/generate.ts`; the
 * JSON files are committed and the tests compare the library against them, so a change in the library's output
 * fails the tests instead of silently rewriting the vectors.
 *
 * The expected values are computed here with `node:crypto` directly, from each scheme's written definition, and
 * never with the library itself: the vectors are an independent statement of the schemes.
 *
 * @module
 */
import { createHash, createHmac, createPrivateKey, createPublicKey, sign as edSign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const here = dirname(fileURLToPath(import.meta.url));

interface ValidCase {
  name: string;
  keyEncoding: 'auto' | 'utf8' | 'base64';
  secrets: string[];
  id: string;
  timestamp: string;
  body: string;
  signedContent: string;
  headers: Record<string, string>;
}

interface RejectedCase {
  name: string;
  keyEncoding: 'auto' | 'utf8' | 'base64';
  secrets: string[];
  now: string;
  toleranceSeconds: number;
  headers: Record<string, string>;
  body: string;
  error: 'missing_header' | 'malformed_header' | 'timestamp_out_of_tolerance' | 'invalid_signature';
}

interface VectorFile {
  scheme: string;
  description: string;
  cases: ValidCase[];
  rejected: RejectedCase[];
}

const ID = '3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7b';
const AT = '2026-03-14T15:09:26.535Z';
const AT_SECONDS = String(Math.floor(Date.parse(AT) / 1000));
const BODY =
  '{"type":"buddy.match.created","data":{"matchId":"0b9f5c3e-1d2a-4c6b-8e7f-9a0b1c2d3e4f"},"metadata":{"id":"3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7b","version":"v1","timestamp":"2026-03-14T15:09:26.535Z"}}';
const FLAT_BODY =
  '{"id":"3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7b","version":"v1","timestamp":"2026-03-14T15:09:26.535Z","type":"buddy.match.created","data":{"matchId":"0b9f5c3e-1d2a-4c6b-8e7f-9a0b1c2d3e4f"}}';
const UNICODE_BODY = '{"note":"Grüße, 世界 🌍 — \\"quoted\\" \\\\ back"}';
const SECRET_A = 'teei-test-secret-a-0123456789abcdef';
const SECRET_B = 'teei-test-secret-b-fedcba9876543210';
const WHSEC_A = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WHSEC_B = `whsec_${createHash('sha256').update('teei vector whsec b').digest('base64')}`;

const hmac = (key: Buffer | string, content: string, encoding: 'hex' | 'base64') =>
  createHmac('sha256', key).update(content, 'utf8').digest(encoding);
const whsecKey = (secret: string) => Buffer.from(secret.slice('whsec_'.length), 'base64');
// Standard base64, padding optional: what the standardwebhooks and svix libraries decode.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
/** The key of a standard-webhooks secret under keyEncoding auto: whsec_<base64> or bare base64 decoded, else UTF-8. */
const autoKey = (secret: string): Buffer | string =>
  secret.startsWith('whsec_') ? whsecKey(secret) : BASE64.test(secret) ? Buffer.from(secret, 'base64') : secret;
const later = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

function hexList(secrets: string[], content: string): string {
  return secrets.map((secret) => `sha256=${hmac(secret, content, 'hex')}`).join(' ');
}

function teeiV1(): VectorFile {
  const make = (name: string, secrets: string[], body: string, timestamp = AT, id = ID): ValidCase => {
    const signedContent = `${id}.${timestamp}.${body}`;
    const headers = {
      'X-Webhook-Id': id,
      'X-Webhook-Timestamp': timestamp,
      'X-Webhook-Signature': hexList(secrets, signedContent),
    };
    return { name, keyEncoding: 'auto', secrets, id, timestamp, body, signedContent, headers };
  };
  const one = make('one secret', [SECRET_A], BODY);
  return {
    scheme: 'teei-v1',
    description:
      'X-Webhook-Signature = "sha256=" + lowercase hex HMAC-SHA256(key = UTF-8 bytes of the secret, id + "." + X-Webhook-Timestamp + "." + body); several separated by one space. X-Webhook-Timestamp is ISO-8601 UTC with milliseconds.',
    cases: [
      one,
      make('two secrets (rotation): one signature per secret, in order', [SECRET_A, SECRET_B], BODY),
      make('non-ASCII body: the UTF-8 bytes are signed', [SECRET_A], UNICODE_BODY),
      make('empty body', [SECRET_A], ''),
    ],
    rejected: [
      { ...reject(one, 'body changed by one character', 'invalid_signature'), body: `${BODY} ` },
      {
        ...reject(one, 'timestamp 301 s older than now, tolerance 300 s', 'timestamp_out_of_tolerance'),
        now: later(AT, 301),
      },
      {
        ...reject(one, 'timestamp 301 s ahead of now, tolerance 300 s', 'timestamp_out_of_tolerance'),
        now: later(AT, -301),
      },
      {
        ...reject(one, 'timestamp header replaced', 'invalid_signature'),
        headers: { ...one.headers, 'X-Webhook-Timestamp': later(AT, 1) },
      },
      {
        ...reject(one, 'id header replaced', 'invalid_signature'),
        headers: { ...one.headers, 'X-Webhook-Id': `${ID.slice(0, -1)}c` },
      },
      {
        ...reject(one, 'signature header absent', 'missing_header'),
        headers: omit(one.headers, 'X-Webhook-Signature'),
      },
      {
        ...reject(one, 'signature not in sha256=<hex> form', 'malformed_header'),
        headers: { ...one.headers, 'X-Webhook-Signature': 'md5=abc' },
      },
      {
        ...reject(one, 'timestamp not ISO-8601', 'malformed_header'),
        headers: { ...one.headers, 'X-Webhook-Timestamp': AT_SECONDS },
      },
    ],
  };
}

function standardWebhooks(): VectorFile {
  const make = (
    name: string,
    secrets: string[],
    keyEncoding: ValidCase['keyEncoding'],
    body: string,
    id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    seconds = AT_SECONDS,
  ): ValidCase => {
    const signedContent = `${id}.${seconds}.${body}`;
    const keyOf = (secret: string) => (keyEncoding === 'utf8' ? secret : autoKey(secret));
    const signature = secrets.map((secret) => `v1,${hmac(keyOf(secret), signedContent, 'base64')}`).join(' ');
    const headers = { 'webhook-id': id, 'webhook-timestamp': seconds, 'webhook-signature': signature };
    const timestamp = new Date(Number(seconds) * 1000).toISOString();
    return { name, keyEncoding, secrets, id, timestamp, body, signedContent, headers };
  };
  const one = make('one whsec_ secret: the key is the base64-decoded part after whsec_', [WHSEC_A], 'auto', BODY);
  return {
    scheme: 'standard-webhooks',
    description:
      'webhook-signature = "v1," + base64 HMAC-SHA256(key, webhook-id + "." + webhook-timestamp + "." + body), several separated by one space. webhook-timestamp is integer unix seconds. With keyEncoding auto the key is base64-decode(secret without "whsec_"), and a bare secret without the prefix that is base64 (standard alphabet, padding optional) is decoded too, as the standardwebhooks and svix libraries do; a secret that is neither keeps its UTF-8 bytes. With utf8 the key is the UTF-8 bytes of the whole string (the Stripe meaning).',
    cases: [
      one,
      make('two whsec_ secrets (rotation)', [WHSEC_A, WHSEC_B], 'auto', BODY),
      make(
        'the standardwebhooks library example',
        [WHSEC_A],
        'auto',
        '{"test": 2432232314}',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        '1614265330',
      ),
      make('keyEncoding utf8: the whole whsec_ string is the key', [WHSEC_A], 'utf8', BODY),
      make(
        'a bare base64 secret without whsec_: decoded, the same key as with the prefix',
        [WHSEC_A.slice('whsec_'.length)],
        'auto',
        BODY,
      ),
      make(
        'the standardwebhooks and svix libraries\' "works without prefix" secret, signing their example',
        [WHSEC_A.slice('whsec_'.length)],
        'auto',
        '{"test": 2432232314}',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        '1614265330',
      ),
      make('a secret that is not base64: its UTF-8 bytes are the key', [SECRET_A], 'auto', BODY),
      make('non-ASCII body', [WHSEC_A], 'auto', UNICODE_BODY),
    ],
    rejected: [
      { ...reject(one, 'body changed by one character', 'invalid_signature'), body: BODY.replace('v1', 'v2') },
      {
        ...reject(one, 'timestamp 301 s older than now', 'timestamp_out_of_tolerance'),
        now: later(one.timestamp, 301),
      },
      {
        ...reject(one, 'timestamp not integer seconds', 'malformed_header'),
        headers: { ...one.headers, 'webhook-timestamp': AT },
      },
      { ...reject(one, 'webhook-id absent', 'missing_header'), headers: omit(one.headers, 'webhook-id') },
      {
        ...reject(one, 'signature not v1,<base64>', 'malformed_header'),
        headers: { ...one.headers, 'webhook-signature': 'v1=abc' },
      },
    ],
  };
}

function buddyConnector(): VectorFile {
  const make = (name: string, secrets: string[], body: string): ValidCase => {
    const signedContent = `${AT_SECONDS}.${body}`;
    const list = secrets.map((secret) => `v1=${hmac(secret, signedContent, 'hex')}`).join(',');
    const headers = { 'X-Delivery-Id': ID, 'X-Buddy-Signature': `t=${AT_SECONDS},${list}` };
    const timestamp = new Date(Number(AT_SECONDS) * 1000).toISOString();
    return { name, keyEncoding: 'auto', secrets, id: ID, timestamp, body, signedContent, headers };
  };
  const one = make('one secret: exactly t=<unix seconds>,v1=<hex>', [SECRET_A], FLAT_BODY);
  return {
    scheme: 'buddy-connector',
    description:
      'X-Buddy-Signature = "t=" + unix seconds + ",v1=" + lowercase hex HMAC-SHA256(key = UTF-8 bytes of the secret, t + "." + body); with several secrets one ",v1=<hex>" per secret after the single t= (as Stripe does). X-Delivery-Id is sent but not signed. The body is the FLAT envelope.',
    cases: [one, make('two secrets (rotation): t=…,v1=<hex>,v1=<hex>', [SECRET_A, SECRET_B], FLAT_BODY)],
    rejected: [
      { ...reject(one, 'body changed by one character', 'invalid_signature'), body: `${FLAT_BODY}\n` },
      { ...reject(one, 'timestamp 301 s ahead of now', 'timestamp_out_of_tolerance'), now: later(one.timestamp, -301) },
      {
        ...reject(one, 't= changed', 'invalid_signature'),
        headers: {
          ...one.headers,
          'X-Buddy-Signature': one.headers['X-Buddy-Signature']!.replace(
            `t=${AT_SECONDS}`,
            `t=${Number(AT_SECONDS) + 1}`,
          ),
        },
      },
      {
        ...reject(one, 'no t=', 'malformed_header'),
        headers: {
          ...one.headers,
          'X-Buddy-Signature': one.headers['X-Buddy-Signature']!.replace(`t=${AT_SECONDS},`, ''),
        },
      },
      { ...reject(one, 'X-Buddy-Signature absent', 'missing_header'), headers: omit(one.headers, 'X-Buddy-Signature') },
    ],
  };
}

function sha256Body(): VectorFile {
  const make = (name: string, secrets: string[], body: string): ValidCase => {
    const headers = { 'X-Webhook-Id': ID, 'X-Webhook-Timestamp': AT, 'X-Webhook-Signature': hexList(secrets, body) };
    return { name, keyEncoding: 'auto', secrets, id: ID, timestamp: AT, body, signedContent: body, headers };
  };
  const one = make('one secret', [SECRET_A], BODY);
  return {
    scheme: 'sha256-body',
    description:
      'X-Webhook-Signature = "sha256=" + lowercase hex HMAC-SHA256(key = UTF-8 bytes of the secret, body): the body only. X-Webhook-Id and X-Webhook-Timestamp are sent but not signed, so no tolerance applies.',
    cases: [one, make('two secrets (rotation)', [SECRET_A, SECRET_B], BODY)],
    rejected: [
      { ...reject(one, 'body changed by one character', 'invalid_signature'), body: BODY.replace('3e4f', '3e4e') },
      { ...reject(one, 'signature made with another secret', 'invalid_signature'), secrets: [SECRET_B] },
      {
        ...reject(one, 'signature header absent', 'missing_header'),
        headers: omit(one.headers, 'X-Webhook-Signature'),
      },
    ],
  };
}

function standardWebhooksV1a(): VectorFile {
  const seed = createHash('sha256').update('teei event-relay ed25519 vector seed').digest();
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const signingKey = `whsk_${seed.toString('base64')}`;
  const otherSeed = createHash('sha256').update('another ed25519 seed').digest();
  const otherSpki = createPublicKey(
    createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, otherSeed]), format: 'der', type: 'pkcs8' }),
  ).export({ format: 'der', type: 'spki' });
  const otherPublicKey = `whpk_${otherSpki.subarray(otherSpki.length - 32).toString('base64')}`;
  const publicKey = `whpk_${spki.subarray(spki.length - 32).toString('base64')}`;
  const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  const timestamp = new Date(Number(AT_SECONDS) * 1000).toISOString();
  const signedContent = `${id}.${AT_SECONDS}.${BODY}`;
  const v1a = `v1a,${edSign(null, Buffer.from(signedContent), privateKey).toString('base64')}`;
  const v1 = `v1,${hmac(whsecKey(WHSEC_A), signedContent, 'base64')}`;
  const headers = (signature: string) => ({
    'webhook-id': id,
    'webhook-timestamp': AT_SECONDS,
    'webhook-signature': signature,
  });
  const asym: ValidCase = {
    name: 'whsk_ signing key',
    keyEncoding: 'auto',
    secrets: [signingKey],
    id,
    timestamp,
    body: BODY,
    signedContent,
    headers: headers(v1a),
  };
  return {
    scheme: 'standard-webhooks',
    description: `Asymmetric Standard Webhooks signatures. webhook-signature = "v1a," + base64 ed25519 signature (RFC 8032, deterministic) of webhook-id + "." + webhook-timestamp + "." + body. whsk_ = base64 of the 32-byte ed25519 seed (the signer's secret); whpk_ = base64 of the 32-byte raw public key (the verifier's key). Verify the cases with publicKey: ${publicKey}`,
    cases: [
      asym,
      {
        ...asym,
        name: 'whsec_ and whsk_ together: v1 then v1a in one header',
        secrets: [WHSEC_A, signingKey],
        headers: headers(`${v1} ${v1a}`),
      },
    ],
    rejected: [
      { ...reject(asym, 'body changed by one character', 'invalid_signature'), secrets: [publicKey], body: `${BODY} ` },
      { ...reject(asym, 'signed by another key', 'invalid_signature'), secrets: [otherPublicKey] },
    ],
  };
}

function reject(from: ValidCase, name: string, error: RejectedCase['error']): RejectedCase {
  return {
    name,
    keyEncoding: from.keyEncoding,
    secrets: from.secrets,
    now: from.timestamp,
    toleranceSeconds: 300,
    headers: from.headers,
    body: from.body,
    error,
  };
}

function omit(headers: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _dropped, ...rest } = headers;
  return rest;
}

const files: Record<string, VectorFile> = {
  'teei-v1.json': teeiV1(),
  'standard-webhooks.json': standardWebhooks(),
  'buddy-connector.json': buddyConnector(),
  'sha256-body.json': sha256Body(),
  'standard-webhooks-v1a.json': standardWebhooksV1a(),
};
for (const [name, content] of Object.entries(files)) {
  writeFileSync(join(here, name), `${JSON.stringify(content, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(files).length} vector files to ${here}`);
