/**
 * `event-relay listen`: a local receiver that verifies, validates against the Buddy catalog and prints each event,
 * like `stripe listen`. It is the library's own `createReceiver` behind `nodeReceiver`, so it answers exactly as a
 * production receiver with the same options does.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeReceiver } from '../../adapters/node.js';
import type { BuddyCatalog } from '../../catalog/buddy.js';
import {
  buddyCatalog,
  createReceiver,
  type EventEnvelope,
  isEventRelayError,
  type Logger,
  type ReceiverOptions,
  receiverConfigFromEnv,
  type SchemeName,
} from '../../index.js';

type SignatureMode = NonNullable<ReceiverOptions['signature']>;
type UnknownTypes = 'reject' | 'accept';

import type { FlagSpecs } from '../args.js';
import { CliFailure, UsageError } from '../cli-errors.js';
import { defineCommand } from '../command.js';
import { JSON_FLAG, keyOptions, RECEIVER_KEY_FLAGS } from '../key-flags.js';
import { answerLine, eventBlock, watchAnswers } from '../listen-output.js';

const FLAGS = {
  ...RECEIVER_KEY_FLAGS,
  port: { type: 'string', short: 'p', value: '<port>', description: 'the port; 0 picks a free one', default: '3000' },
  host: { type: 'string', value: '<address>', description: 'the address to listen on', default: '127.0.0.1' },
  path: { type: 'string', value: '<path>', description: 'where events are POSTed', default: '/webhooks/buddy-events' },
  signature: {
    type: 'string',
    value: '<mode>',
    description:
      'verify signatures always, when present, or never (default: required; disabled when ' +
      'WEBHOOK_SIGNATURE_VALIDATION_ENABLED=false)',
    choices: ['required', 'optional', 'disabled'],
  },
  'unknown-types': {
    type: 'string',
    value: '<what>',
    description: 'a type outside the Buddy catalog: answer 400, or accept and print it',
    default: 'reject',
    choices: ['reject', 'accept'],
  },
  json: { ...JSON_FLAG, description: 'print each accepted event as one JSON line on stdout (the rest on stderr)' },
} as const satisfies FlagSpecs;

/**
 * The `listen` command.
 *
 * @example `event-relay listen --port 3000 --secret my-shared-secret`
 */
export const listenCommand = defineCommand({
  name: 'listen',
  summary: 'run a local receiver that verifies, validates and prints each event (like stripe listen)',
  description:
    'Starts a receiver on 127.0.0.1 (POST /webhooks/buddy-events, GET /health/webhook) built from the library:\n' +
    'it verifies the signature, validates the event against the Buddy catalog, deduplicates by event id and\n' +
    'answers as a production receiver does (202, 200 duplicate, 401, 400 …). Each answer is printed with the\n' +
    'event it carried. Stop it with Ctrl-C.',
  positionals: [],
  flags: FLAGS,
  examples: [
    'event-relay listen --secret my-shared-secret',
    'event-relay listen --port 0 --scheme standard-webhooks --json | jq .data',
    'event-relay listen --signature disabled --unknown-types accept',
  ],
  async run({ flags }, io) {
    const port = Number(flags.port);
    if (!/^\d+$/.test(flags.port ?? '') || port > 65_535) {
      throw new UsageError('listen', `--port must be a port number (0 to 65535), got "${flags.port}"`);
    }
    if (!flags.path?.startsWith('/')) throw new UsageError('listen', `--path must start with "/"`);
    const signature = signatureMode(flags.signature as SignatureMode | undefined, flags.secret, io.env);
    const options: ReceiverOptions<BuddyCatalog, UnknownTypes> = {
      scheme: (flags.scheme ?? 'teei-v1') as SchemeName,
      signature,
      catalog: buddyCatalog,
      unknownTypes: flags['unknown-types'] as UnknownTypes,
      logger: warningsTo(io.stderr),
    };
    if (flags.secret.length > 0) Object.assign(options, keyOptions('listen', flags, 'WEBHOOK_SIGNATURE_SECRET'));
    // Events and their answers go to stdout; with --json stdout carries only the events, as JSON lines.
    const log = flags.json ? io.stderr : io.stdout;
    const receiver = createReceiver(options);
    const handled = new Map<string, EventEnvelope>();
    receiver.onAny((event) => {
      handled.set(event.metadata.id, event as EventEnvelope);
    });
    const handler = nodeReceiver(receiver, { path: flags.path });
    const server = createServer((req, res) => {
      watchAnswers(req, res, (answer) => {
        const event = answer.eventId === undefined ? undefined : handled.get(answer.eventId);
        if (answer.eventId !== undefined) handled.delete(answer.eventId);
        log.write(`${answerLine(answer, event, flags.path!, log.color)}\n`);
        if (event === undefined || answer.status !== 202) return;
        if (flags.json) io.stdout.write(`${JSON.stringify(event)}\n`);
        else io.stdout.write(`${eventBlock(event, io.stdout.color)}\n`);
      });
      handler(req, res);
    });
    const address = await listen(server, port, flags.host!);
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}${flags.path}`;
    log.write(
      `Listening on ${url} (${options.scheme}, signatures ${signature}, Buddy catalog). Ctrl-C to stop.\n` +
        log.color.dim(`Try: event-relay sign event.json --curl --url ${url} | sh\n`),
    );
    await new Promise<void>((resolve) => {
      if (io.interrupted.aborted) resolve();
      io.interrupted.addEventListener('abort', () => resolve(), { once: true });
    });
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const h = receiver.health();
    log.write(
      `\nStopped: ${h.received} received, ${h.accepted} accepted, ${h.duplicates} duplicates, ` +
        `${h.rejected} refused, ${h.failed} failed\n`,
    );
    return 0;
  },
});

/** The `--signature` flag, else what `WEBHOOK_SIGNATURE_VALIDATION_ENABLED` says, as `receiverConfigFromEnv` reads it. */
function signatureMode(
  flag: SignatureMode | undefined,
  secrets: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SignatureMode {
  let mode = flag;
  if (mode === undefined) {
    try {
      mode = receiverConfigFromEnv({
        WEBHOOK_SIGNATURE_SECRET: secrets[0] ?? '',
        WEBHOOK_SIGNATURE_VALIDATION_ENABLED: env.WEBHOOK_SIGNATURE_VALIDATION_ENABLED,
      }).signature;
    } catch (error) {
      if (!isEventRelayError(error, 'ConfigError')) throw error;
      if (error.option !== 'WEBHOOK_SIGNATURE_SECRET') throw new UsageError('listen', error.message);
    }
  }
  if (mode !== 'disabled' && secrets.length === 0) {
    throw new UsageError(
      'listen',
      'give --secret, or set WEBHOOK_SIGNATURE_SECRET (or pass --signature disabled to accept unsigned events)',
    );
  }
  return mode ?? 'required';
}

/** The receiver's own warnings (a disabled signature, a secret with whitespace, a failing handler) on stderr. */
function warningsTo(stderr: { write(text: string): void }): Logger {
  const write =
    (level: string) =>
    (record: Record<string, unknown>, message?: string): void => {
      // Answers are printed from the HTTP side, with their bodies; only the rest is worth a line here.
      if (record.operation === 'receive' && typeof record.status === 'number') return;
      stderr.write(`${level}: ${message ?? JSON.stringify(record)}\n`);
    };
  return { debug: () => {}, info: () => {}, warn: write('warning'), error: write('error') };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new CliFailure(`port ${port} on ${host} is in use: pass --port <n> (0 picks a free one)`));
      } else reject(new CliFailure(`cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
    });
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}
