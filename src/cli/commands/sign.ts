/**
 * `event-relay sign`: the signature headers for a body, or a ready curl command.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { sign } from '../../index.js';
import type { FlagSpecs } from '../args.js';
import { CliFailure, UsageError } from '../cli-errors.js';
import { defineCommand } from '../command.js';
import { curlCommand } from '../curl-command.js';
import { JSON_FLAG, keyOptions, SENDER_KEY_FLAGS } from '../key-flags.js';
import { readInput } from '../read-input.js';

const FLAGS = {
  ...SENDER_KEY_FLAGS,
  id: { type: 'string', value: '<id>', description: "the delivery id (default: the body's event id, else a new uuid)" },
  timestamp: {
    type: 'string',
    value: '<time>',
    description: 'the signature time, ISO-8601 or unix seconds (default: now)',
  },
  curl: { type: 'boolean', description: 'print a curl command that sends the signed request' },
  url: { type: 'string', value: '<url>', description: 'where the curl command posts', env: 'CSR_WEBHOOK_URL' },
  json: JSON_FLAG,
} as const satisfies FlagSpecs;

/**
 * The `sign` command.
 *
 * @example `event-relay sign event.json --secret "$CSR_WEBHOOK_SECRET" --curl --url http://127.0.0.1:3000/webhooks/buddy-events`
 */
export const signCommand = defineCommand({
  name: 'sign',
  summary: 'print the signature headers for a body, or a ready curl command',
  description:
    'Signs a body (a file, or stdin) as a publisher would send it and prints the headers to send with it: the\n' +
    "scheme's id, timestamp and signature headers, and Content-Type. With --curl it prints a curl command instead.\n" +
    'The body is signed byte for byte as read; a receiver accepts the signature for 5 minutes by default.',
  positionals: [{ name: 'file', description: 'the body to sign; - or absent: stdin', optional: true }],
  flags: FLAGS,
  examples: [
    'event-relay sign event.json --secret my-shared-secret',
    'event-relay sign event.json --scheme standard-webhooks --secret whsec_... --json',
    'event-relay sign event.json --curl --url http://127.0.0.1:3000/webhooks/buddy-events | sh',
    'cat event.json | event-relay sign --scheme buddy-connector',
  ],
  async run({ flags, positionals }, io) {
    const keys = keyOptions('sign', flags, 'CSR_WEBHOOK_SECRET');
    if (flags.curl && flags.url === undefined)
      throw new UsageError('sign', '--curl needs --url, or CSR_WEBHOOK_URL set');
    const file = positionals[0];
    const body = await readInput('sign', file, io);
    const id = flags.id ?? eventIdOf(body) ?? randomUUID();
    const timestamp = flags.timestamp === undefined ? new Date() : parseTime(flags.timestamp);
    const signed = await sign({ ...keys, id, body, timestamp });
    const headers = { 'Content-Type': 'application/json', ...signed };
    if (flags.curl) {
      io.stdout.write(
        `${curlCommand(flags.url!, headers, file === undefined || file === '-' ? inline(body) : { file })}\n`,
      );
    } else if (flags.json) {
      io.stdout.write(`${JSON.stringify(headers)}\n`);
    } else {
      for (const [name, value] of Object.entries(headers)) io.stdout.write(`${name}: ${value}\n`);
    }
    return 0;
  },
});

/**
 * The event id of a body that is an event (`metadata.id` nested, `id` flat), so a signed event keeps its identity.
 *
 * @example `eventIdOf(Buffer.from('{"id":"abc","type":"x.y.z"}')) // 'abc'`
 */
export function eventIdOf(body: Uint8Array): string | undefined {
  try {
    const value = JSON.parse(Buffer.from(body).toString('utf8')) as { id?: unknown; metadata?: { id?: unknown } };
    const id = value?.metadata?.id ?? value?.id;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `Date` from ISO-8601 text or unix seconds.
 *
 * @throws {UsageError} naming `--timestamp` for anything else.
 * @example `parseTime('1767225600').toISOString() // '2026-01-01T00:00:00.000Z'`
 */
export function parseTime(text: string): Date {
  const date = /^\d+$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(date.getTime()) || !/^\d+$|^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new UsageError('sign', `--timestamp must be ISO-8601 (2026-01-15T10:30:00Z) or unix seconds, got "${text}"`);
  }
  return date;
}

function inline(body: Buffer): { text: string } {
  const text = body.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(body) || text.includes('\0')) {
    throw new CliFailure('the body is not UTF-8 text, so it cannot be inlined in a curl command: give it as a file');
  }
  return { text };
}
