/**
 * `event-relay check <url>`: a conformance probe of a live receiver. Six requests, each breaking one rule, and a
 * table of what the endpoint answered against what a correct receiver answers.
 *
 * @module
 */
import { BUDDY_EVENT_TYPES, type BuddyEventType } from '../../catalog/buddy.js';
import { DEFAULTS } from '../../index.js';
import type { FlagSpecs } from '../args.js';
import { type Judgement, judge } from '../check/judge.js';
import { buildProbes, type Expectation, type Probe } from '../check/probes.js';
import { type ProbeResult, sendProbe } from '../check/send-probe.js';
import { UsageError } from '../cli-errors.js';
import type { Palette } from '../colors.js';
import { defineCommand } from '../command.js';
import { JSON_FLAG, keyOptions, SENDER_KEY_FLAGS } from '../key-flags.js';
import { printableUrl } from '../observed-transport.js';
import { renderTable } from '../table.js';

/** The stale probe's signature age: far outside any sane tolerance (the default is 300 s). */
const STALE_SECONDS = 3600;

const FLAGS = {
  ...SENDER_KEY_FLAGS,
  type: {
    type: 'string',
    value: '<type>',
    description: 'the Buddy event the probes carry',
    default: 'buddy.match.created',
    choices: BUDDY_EVENT_TYPES,
  },
  'max-body-bytes': {
    type: 'string',
    value: '<n>',
    description: "the receiver's body limit; the oversized probe sends one byte more",
    default: String(DEFAULTS.receiver.maxBodyBytes),
  },
  timeout: { type: 'string', value: '<ms>', description: 'how long to wait for each answer', default: '10000' },
  json: JSON_FLAG,
} as const satisfies FlagSpecs;

/**
 * The `check` command.
 *
 * @example `event-relay check https://csr.example/webhooks/buddy-events --secret "$CSR_WEBHOOK_SECRET"`
 */
export const checkCommand = defineCommand({
  name: 'check',
  summary: 'probe a live receiver with valid and invalid requests; say which answers are wrong',
  description:
    'Sends six requests to a receiver and compares each answer with what a correct receiver answers:\n' +
    '  valid event 2xx · same event again 2xx duplicate · tampered body 401 · stale timestamp 401 ·\n' +
    '  wrong content type 415 · oversized body 413\n' +
    'It exits 1 when the endpoint accepts anything it must refuse (verification off, a missing body limit …) or\n' +
    'refuses the valid event (a proxy that strips a header, a body parser in front of the receiver, another\n' +
    'secret …), with the likely reason. The valid event is a real Buddy event with random ids and\n' +
    `metadata.source "event-relay-check": the receiver's handlers run once for it.`,
  positionals: [{ name: 'url', description: 'the receiver endpoint (default: CSR_WEBHOOK_URL)', optional: true }],
  flags: FLAGS,
  examples: [
    'event-relay check http://127.0.0.1:3000/webhooks/buddy-events --secret my-shared-secret',
    'event-relay check https://csr.example/webhooks/buddy-events --scheme standard-webhooks --json',
  ],
  async run({ flags, positionals }, io) {
    const target = positionals[0] ?? io.env.CSR_WEBHOOK_URL;
    if (target === undefined || target === '') throw new UsageError('check', 'give <url>, or set CSR_WEBHOOK_URL');
    let url: URL;
    try {
      url = new URL(target);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new UsageError('check', `<url> must be an absolute http: or https: URL, got "${printableUrl(target)}"`);
    }
    const keys = keyOptions('check', flags, 'CSR_WEBHOOK_SECRET');
    const maxBodyBytes = positiveInteger('--max-body-bytes', flags['max-body-bytes']);
    const timeoutMs = positiveInteger('--timeout', flags.timeout);
    const probes = await buildProbes({
      keys,
      type: flags.type as BuddyEventType,
      maxBodyBytes,
      staleSeconds: STALE_SECONDS,
    });

    const results: (ProbeResult | undefined)[] = [];
    for (const probe of probes) {
      results.push(probe.request === undefined ? undefined : await sendProbe(url, probe.request, timeoutMs));
    }
    const validAccepted = isAccepted(results[0]);
    const judgements = probes.map((probe, i) => judge(probe, results[i], validAccepted));
    const failed = judgements.filter((j) => j.verdict === 'fail').length;
    const where = printableUrl(url.href);

    if (flags.json) {
      const rows = probes.map((probe, i) => ({
        probe: probe.id,
        expected: expectedText(probe.expected),
        status: results[i]?.status ?? null,
        error: errorCode(results[i]) ?? results[i]?.error ?? null,
        latencyMs: results[i] === undefined ? null : Math.round(results[i]!.latencyMs * 10) / 10,
        ...judgements[i],
      }));
      io.stdout.write(`${JSON.stringify({ url: where, scheme: keys.scheme, ok: failed === 0, probes: rows })}\n`);
      return failed === 0 ? 0 : 1;
    }
    io.stdout.write(`${report(where, keys.scheme, probes, results, judgements, io.stdout.color)}\n`);
    return failed === 0 ? 0 : 1;
  },
});

function report(
  where: string,
  scheme: string,
  probes: readonly Probe[],
  results: readonly (ProbeResult | undefined)[],
  judgements: readonly Judgement[],
  color: Palette,
): string {
  const mark = (j: Judgement): string =>
    j.verdict === 'ok'
      ? color.green('ok')
      : j.verdict === 'fail'
        ? color.red('FAIL')
        : j.verdict === 'warn'
          ? color.yellow('warn')
          : color.dim(j.verdict);
  const rows = probes.map((probe, i) => {
    const result = results[i];
    const latency =
      result === undefined
        ? ''
        : `${result.latencyMs < 10 ? result.latencyMs.toFixed(1) : Math.round(result.latencyMs)} ms`;
    return [probe.name, expectedText(probe.expected), answerText(result), latency, mark(judgements[i]!)];
  });
  const header = ['PROBE', 'EXPECTED', 'ANSWERED', 'TIME', 'VERDICT'].map((h) => color.dim(h));
  const notes = probes.flatMap((probe, i) => {
    const { verdict, reason } = judgements[i]!;
    return verdict === 'ok' || reason === undefined ? [] : [`${mark(judgements[i]!)} ${probe.name}: ${reason}`];
  });
  const failed = judgements.filter((j) => j.verdict === 'fail').length;
  const summary =
    failed === 0
      ? color.green(`${where} answers as a correct receiver does (${scheme}).`)
      : color.red(`${where}: ${failed} of ${probes.length} answers are wrong (${scheme}).`);
  return [
    `Checking ${where} (${scheme})`,
    '',
    renderTable([header, ...rows]),
    '',
    ...notes,
    ...(notes.length > 0 ? [''] : []),
    summary,
  ].join('\n');
}

function expectedText(expected: Expectation): string {
  return expected.kind === 'accept' ? '2xx' : expected.kind === 'duplicate' ? '2xx duplicate' : String(expected.status);
}

function answerText(result: ProbeResult | undefined): string {
  if (result === undefined) return '-';
  if (result.status === undefined) return 'no answer';
  if (result.json?.duplicate === true) return `${result.status} duplicate`;
  const code = errorCode(result);
  return code === undefined ? String(result.status) : `${result.status} ${code}`;
}

function errorCode(result: ProbeResult | undefined): string | undefined {
  return typeof result?.json?.error === 'string' ? result.json.error : undefined;
}

function isAccepted(result: ProbeResult | undefined): boolean {
  return result?.status !== undefined && result.status >= 200 && result.status < 300;
}

function positiveInteger(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!/^\d+$/.test(text ?? '') || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError('check', `${flag} must be a positive integer, got "${text}"`);
  }
  return value;
}
