/**
 * `event-relay send`: events from a file or stdin to a URL, through the library's publisher (signed, retried,
 * dead-lettered), with a progress line.
 *
 * @module
 */
import { createPublisher, DEFAULTS, fileDeadLetterQueue, httpTransport, memoryDeadLetterQueue } from '../../index.js';
import type { FlagSpecs } from '../args.js';
import { UsageError } from '../cli-errors.js';
import { defineCommand } from '../command.js';
import { DELIVERY_FLAGS, deliveryOptions } from '../delivery-flags.js';
import { deliveryReport } from '../delivery-report.js';
import { keyOptions, SENDER_KEY_FLAGS } from '../key-flags.js';
import { observeTransport, printableUrl } from '../observed-transport.js';
import { plural } from '../plural.js';
import { readEvents } from '../read-events.js';
import { readInput } from '../read-input.js';

const FLAGS = {
  ...DELIVERY_FLAGS,
  ...SENDER_KEY_FLAGS,
  dlq: {
    type: 'string',
    value: '<file>',
    description: 'a dead-letter file (JSON lines) that keeps the events that fail, for "event-relay dlq redrive"',
  },
  concurrency: {
    type: 'string',
    value: '<n>',
    description: 'deliveries in flight at once',
    default: String(DEFAULTS.publisher.concurrency),
  },
  'unknown-types': {
    type: 'string',
    value: '<what>',
    description: 'a type outside the Buddy catalog: reject it, or accept it with its data unchecked',
    default: 'reject',
    choices: ['reject', 'accept'],
  },
} as const satisfies FlagSpecs;

/**
 * The `send` command.
 *
 * @example `event-relay send events.jsonl --url http://127.0.0.1:3000/webhooks/buddy-events --dlq failed.jsonl`
 */
export const sendCommand = defineCommand({
  name: 'send',
  summary: 'deliver events from a file or stdin to a URL, with retries and a progress line',
  description:
    'Publishes events to a receiver as the library does: validated against the Buddy catalog, signed, retried\n' +
    'on network errors, timeouts, 408, 409, 425, 429 and 5xx (Retry-After honoured), with the delivery id kept\n' +
    'across retries. The input is one JSON event, a JSON array, or JSON lines; each event is a whole envelope\n' +
    '(nested or flat) or {"type", "data"}, which gets a fresh id and time. Every event is checked before any is\n' +
    'sent. Exits 1 when an event could not be delivered (with --dlq it is kept in that file).',
  positionals: [{ name: 'file', description: 'the events; - or absent: stdin', optional: true }],
  flags: FLAGS,
  examples: [
    'event-relay send event.json --url http://127.0.0.1:3000/webhooks/buddy-events --secret my-shared-secret',
    'event-relay send events.jsonl --dlq failed.jsonl --retries 3 --backoff 500',
    `echo '{"type":"buddy.checkin.completed","data":{…}}' | event-relay send`,
  ],
  async run({ flags, positionals, sources }, io) {
    const keys = keyOptions('send', flags, 'CSR_WEBHOOK_SECRET');
    const { transport, retry } = deliveryOptions('send', flags, sources, keys);
    const concurrency = Number(flags.concurrency);
    if (!/^\d+$/.test(flags.concurrency ?? '') || concurrency < 1) {
      throw new UsageError('send', `--concurrency must be a positive integer, got "${flags.concurrency}"`);
    }
    const input = await readInput('send', positionals[0], io);
    const events = readEvents(input.toString('utf8'), flags['unknown-types'] === 'accept');

    const report = deliveryReport(io, events.length);
    const publisher = createPublisher({
      transport: observeTransport(httpTransport(transport), report.attempt),
      retry,
      concurrency,
      deadLetter: flags.dlq === undefined ? memoryDeadLetterQueue() : fileDeadLetterQueue(flags.dlq),
    });
    const signal = io.interrupted;
    await Promise.all(
      events.map(({ envelope }) =>
        publisher.publish(envelope, { signal }).then(
          (receipt) => report.delivered({ eventType: envelope.type, ...receipt }),
          (error: unknown) =>
            report.failed(envelope.type, envelope.metadata.id, signal.aborted ? interrupted() : error),
        ),
      ),
    );
    await publisher.close();
    report.finish();

    const { delivered, failed, retries } = report.counts;
    const where = printableUrl(String(transport.url));
    const kept =
      failed === 0 ? '' : flags.dlq === undefined ? ' (pass --dlq <file> to keep them)' : ` (kept in ${flags.dlq})`;
    io.stdout.write(
      `${plural(events.length, 'event')} to ${where}: ${delivered} delivered, ${failed} failed${kept}; ${plural(retries, 'retry', 'retries')}\n`,
    );
    return failed === 0 ? 0 : 1;
  },
});

function interrupted(): Error {
  return new Error('interrupted before delivery');
}
