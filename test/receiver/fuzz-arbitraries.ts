// Hostile requests for the property tests: bytes, broken and odd JSON, wrong types, strange headers and signatures.
import fc from 'fast-check';
import { sign } from '../../src/index.js';
import { buddySample } from '../../src/testing/index.js';

export const FUZZ_SECRET = 'fuzz-secret';

const validEnvelope = () => ({
  type: 'buddy.match.created',
  data: buddySample('buddy.match.created') as Record<string, unknown>,
  metadata: { id: '0b5a3d52-1f6e-4c3a-9a47-6d2f1e8c9b10', version: 'v1', timestamp: '2026-01-15T10:30:00.000Z' },
});
const validBody = JSON.stringify(validEnvelope());

const nested = fc.integer({ min: 1, max: 20_000 }).chain((depth) =>
  fc.constantFrom('[', '{"a":').map((open) => {
    const close = open === '[' ? ']' : '}';
    return `{"type":"buddy.match.created","data":{"x":${open.repeat(depth)}1${close.repeat(depth)}},"metadata":{}}`;
  }),
);

const paths: readonly (readonly string[])[] = [
  ['type'],
  ['data'],
  ['metadata'],
  ['metadata', 'id'],
  ['metadata', 'version'],
  ['metadata', 'timestamp'],
  ['metadata', 'correlationId'],
  ['metadata', 'metadata'],
  ['data', 'matchId'],
  ['data', 'matchedAt'],
  ['data', 'matchingCriteria'],
  ['data', 'matchingCriteria', 'interests'],
];

const wrongType = fc
  .tuple(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), fc.boolean())
  .map(([path, value, flat]) => {
    const envelope = validEnvelope() as Record<string, unknown>;
    let target = envelope;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[path[path.length - 1]!] = value;
    if (!flat) return JSON.stringify(envelope);
    const { metadata, ...rest } = envelope as { metadata: Record<string, unknown> };
    return JSON.stringify({
      ...(typeof metadata === 'object' && metadata !== null ? metadata : { metadata }),
      ...rest,
    });
  });

const truncated = fc.integer({ min: 0, max: validBody.length - 1 }).map((n) => validBody.slice(0, n));
const hugeString = fc
  .integer({ min: 10_000, max: 200_000 })
  .map((n) => JSON.stringify({ ...validEnvelope(), data: { ...validEnvelope().data, matchId: 'z'.repeat(n) } }));
const duplicatedKeys = fc.constantFrom(
  validBody.replace('{"type":', '{"type":"x.y.z","type":'),
  validBody.replace('"metadata":{', '"metadata":{"id":"nope",'),
  `${validBody.slice(0, -1)},"type":7}`,
);

/** A request body: bytes or text. */
export const hostileBody: fc.Arbitrary<Uint8Array | string> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc.string({ maxLength: 512 }),
  fc.string({ maxLength: 256, unit: 'binary' }),
  truncated,
  nested,
  hugeString,
  wrongType,
  duplicatedKeys,
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.constant(validBody),
);

const headerValue = fc.string({
  maxLength: 80,
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});

export interface HostileRequest {
  method: string;
  headers: Record<string, string | string[]>;
  body: Uint8Array | string;
}

/** A request: a hostile body, often correctly signed (so the deeper checks run), with odd header changes. */
export const hostileRequest: fc.Arbitrary<Promise<HostileRequest>> = fc
  .record({
    body: hostileBody,
    signed: fc.boolean(),
    method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/vnd.api+json',
      'text/plain',
      '',
      'application/json, text/plain',
    ),
    oddSignature: fc.option(headerValue, { nil: undefined }),
    duplicate: fc.constantFrom('none', 'x-webhook-signature', 'x-webhook-id', 'x-webhook-timestamp', 'content-type'),
    oddTimestamp: fc.option(
      fc.oneof(
        headerValue,
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      { nil: undefined },
    ),
    extra: fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerValue, { maxKeys: 3 }),
  })
  .map(async (r) => {
    const id = 'fuzz-delivery';
    const signature = r.signed ? await sign({ secret: FUZZ_SECRET, id, body: r.body }) : {};
    const headers: Record<string, string | string[]> = { ...r.extra };
    for (const [k, v] of Object.entries(signature)) headers[k.toLowerCase()] = v;
    if (r.contentType !== '') headers['content-type'] = r.contentType;
    if (r.oddSignature !== undefined) headers['x-webhook-signature'] = r.oddSignature;
    if (r.oddTimestamp !== undefined) headers['x-webhook-timestamp'] = r.oddTimestamp;
    const current = headers[r.duplicate];
    if (typeof current === 'string') headers[r.duplicate] = [current, `${current}x`];
    return { method: r.method, headers, body: r.body };
  });
