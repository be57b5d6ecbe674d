/**
 * `npx tsx bench/tools/verify-cost.ts [rounds]`: CPU ns per 1 KB verify, in one process, rows alternating, median of
 * the rounds: the raw `createHmac` + `timingSafeEqual` ceiling of bench/signatures.ts (`rawVerify`; also without its
 * header and timestamp checks) against `verify` (awaited)
 * and `verifySync` for teei-v1 and standard-webhooks. Steadier than the full benchmark for trying a change.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { alternate } from '../lib/alternate.js';
import { jsonPayload } from '../lib/payloads.js';
import { createSigner, createVerifier } from '../lib/sdk.js';
import { rawVerify } from '../signatures.js';

const rounds = Number(process.argv[2] ?? 15);
const N = 20_000;
const ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
const body = jsonPayload(1024);
const teeiSecret = 'bench-secret-0123456789abcdef0123';
const swSecret = `whsec_${randomBytes(32).toString('base64')}`;
const now = new Date();
const rawKey = Buffer.from(teeiSecret);
const isoTs = now.toISOString();
const rawSigHex = createHmac('sha256', rawKey).update(`${ID}.${isoTs}.`).update(body).digest('hex');
const teei = createVerifier({ scheme: 'teei-v1', secret: teeiSecret });
const sw = createVerifier({ scheme: 'standard-webhooks', secret: swSecret });
const teeiHeaders = await createSigner({ scheme: 'teei-v1', secret: teeiSecret }).sign({
  id: ID,
  body,
  timestamp: now,
});
const swHeaders = await createSigner({ scheme: 'standard-webhooks', secret: swSecret }).sign({
  id: ID,
  body,
  timestamp: now,
});

// A young-generation collection before each timed run, as in bench/signatures.ts: no row pays for its neighbour's
// garbage (the rows keep their neighbours from round to round).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;

async function cpuNs(op: () => unknown, isAsync: boolean): Promise<number> {
  gc({ type: 'minor' });
  const c0 = process.cpuUsage();
  if (isAsync) for (let i = 0; i < N; i++) await op();
  else for (let i = 0; i < N; i++) op();
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / N;
}

const rows: [string, () => unknown, boolean][] = [
  ['ceiling', () => rawVerify(rawKey, teeiHeaders, body), false],
  [
    'HMAC + compare only',
    () =>
      timingSafeEqual(
        createHmac('sha256', rawKey).update(`${ID}.${isoTs}.`).update(body).digest(),
        Buffer.from(rawSigHex, 'hex'),
      ),
    false,
  ],
  ['teei verify', () => teei.verify({ headers: teeiHeaders, body }), true],
  ['teei verifySync', () => teei.verifySync!({ headers: teeiHeaders, body }), false],
  ['sw verify', () => sw.verify({ headers: swHeaders, body }), true],
  ['sw verifySync', () => sw.verifySync!({ headers: swHeaders, body }), false],
];
const result = await alternate(
  rows.map(([name, op, isAsync]) => ({ name, measure: () => cpuNs(op, isAsync) })),
  { rounds, warmup: 2 },
);
const ceiling = result.get('ceiling')!.median;
for (const [name, s] of result) {
  console.log(
    `${name.padEnd(18)} ${s.median.toFixed(0).padStart(6)} ns  ${((100 * ceiling) / s.median).toFixed(0)} % of the ceiling`,
  );
}
