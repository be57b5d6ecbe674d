/**
 * `event-relay verify`: checks a signature as a receiver would, and says why it fails.
 *
 * @module
 */
import { isEventRelayError, verify } from '../../index.js';
import type { FlagSpecs } from '../args.js';
import { UsageError } from '../cli-errors.js';
import { defineCommand } from '../command.js';
import { JSON_FLAG, keyOptions, RECEIVER_KEY_FLAGS } from '../key-flags.js';
import { addHeaderLine, parseHeaderText } from '../parse-headers.js';
import { readFileOrFail, readInput } from '../read-input.js';

const FLAGS = {
  ...RECEIVER_KEY_FLAGS,
  header: {
    type: 'string',
    short: 'H',
    multiple: true,
    value: '<"Name: value">',
    description: 'a request header, as curl takes it',
  },
  headers: {
    type: 'string',
    value: '<file>',
    description: 'the request headers: "Name: value" lines (a pasted request head) or a JSON object',
  },
  tolerance: {
    type: 'string',
    value: '<seconds>',
    description: 'largest accepted age of the signature, both directions',
    default: '300',
  },
  json: JSON_FLAG,
} as const satisfies FlagSpecs;

/**
 * The `verify` command.
 *
 * @example `event-relay verify body.json --headers headers.txt --secret "$WEBHOOK_SIGNATURE_SECRET"`
 */
export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'check the signature of a request (headers and body): ok, or the reason',
  description:
    'Verifies a request as the receiver does: the body (a file, or stdin) against the signature headers given\n' +
    'with -H or --headers. Prints "ok" with the delivery id and signature time, or the reason it fails\n' +
    '(missing_header, malformed_header, timestamp_out_of_tolerance, invalid_signature) and exits 1.',
  positionals: [{ name: 'file', description: 'the body exactly as received; - or absent: stdin', optional: true }],
  flags: FLAGS,
  examples: [
    'event-relay sign body.json > headers.txt && event-relay verify body.json --headers headers.txt',
    "event-relay verify body.json -H 'X-Webhook-Id: 42' -H 'X-Webhook-Timestamp: …' -H 'X-Webhook-Signature: sha256=…'",
    'event-relay verify captured-body.json --headers captured-head.txt --tolerance 86400',
  ],
  async run({ flags, positionals }, io) {
    const keys = keyOptions('verify', flags, 'WEBHOOK_SIGNATURE_SECRET');
    const toleranceSeconds = Number(flags.tolerance);
    if (!/^\d+$/.test(flags.tolerance ?? '') || !Number.isSafeInteger(toleranceSeconds)) {
      throw new UsageError('verify', `--tolerance must be a whole number of seconds, got "${flags.tolerance}"`);
    }
    if (flags.headers === undefined && flags.header.length === 0) {
      throw new UsageError('verify', 'give the request headers with -H "Name: value" or --headers <file>');
    }
    const headers =
      flags.headers === undefined
        ? {}
        : parseHeaderText((await readFileOrFail(flags.headers)).toString('utf8'), 'verify', flags.headers);
    for (const line of flags.header) addHeaderLine(headers, line, 'verify', '-H');
    const body = await readInput('verify', positionals[0], io);
    try {
      const { id, timestamp } = await verify({ ...keys, headers, body, toleranceSeconds });
      const at = timestamp.toISOString();
      if (flags.json) io.stdout.write(`${JSON.stringify({ ok: true, id, timestamp: at, scheme: keys.scheme })}\n`);
      else io.stdout.write(`${io.stdout.color.green('ok')}: delivery ${id}, signed at ${at} (${keys.scheme})\n`);
      return 0;
    } catch (error) {
      if (!isEventRelayError(error, 'SignatureVerificationError')) throw error;
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({ ok: false, code: error.code, message: error.message })}\n`);
      } else {
        io.stdout.write(`${io.stdout.color.red('invalid')}: ${error.code}: ${error.message} (${keys.scheme})\n`);
      }
      return 1;
    }
  },
});
