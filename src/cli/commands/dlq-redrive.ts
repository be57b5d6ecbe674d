/**
 * `event-relay dlq redrive`: sends the entries of a file dead-letter queue again, with their original delivery ids,
 * and removes those delivered.
 *
 * @module
 */
import { createPublisher, fileDeadLetterQueue, httpTransport } from '../../index.js';
import type { FlagSpecs } from '../args.js';
import { UsageError } from '../cli-errors.js';
import { defineCommand } from '../command.js';
import { DELIVERY_FLAGS, deliveryOptions } from '../delivery-flags.js';
import { deliveryReport } from '../delivery-report.js';
import { existingFile } from '../existing-file.js';
import { keyOptions, SENDER_KEY_FLAGS } from '../key-flags.js';
import { observeTransport, printableUrl } from '../observed-transport.js';
import { plural } from '../plural.js';

const FLAGS = {
  ...DELIVERY_FLAGS,
  ...SENDER_KEY_FLAGS,
  limit: { type: 'string', value: '<n>', description: 'redrive the n oldest entries only' },
} as const satisfies FlagSpecs;

/**
 * The `dlq redrive` command.
 *
 * @example `event-relay dlq redrive ./dead-letters.jsonl --url https://csr.example/webhooks/buddy-events`
 */
export const dlqRedriveCommand = defineCommand({
  name: 'dlq redrive',
  summary: 'send the entries of a file dead-letter queue again; remove those delivered',
  description:
    'Sends each entry of a dead-letter file again through the publisher (signed, retried), with its original\n' +
    'delivery id, so a receiver that processed it before answers "duplicate" instead of running it twice. A\n' +
    'delivered entry is removed from the file; one that still fails stays. Exits 1 when any entry still fails.',
  positionals: [{ name: 'file', description: 'the dead-letter file, e.g. ./dead-letters.jsonl' }],
  flags: FLAGS,
  examples: [
    'event-relay dlq redrive ./dead-letters.jsonl --url https://csr.example/webhooks/buddy-events',
    'event-relay dlq redrive ./dead-letters.jsonl --limit 10 --retries 2',
  ],
  async run({ flags, positionals, sources }, io) {
    const keys = keyOptions('dlq redrive', flags, 'CSR_WEBHOOK_SECRET');
    const { transport, retry } = deliveryOptions('dlq redrive', flags, sources, keys);
    const limit = flags.limit === undefined ? undefined : Number(flags.limit);
    if (limit !== undefined && (!/^\d+$/.test(flags.limit!) || limit < 1)) {
      throw new UsageError('dlq redrive', `--limit must be a positive integer, got "${flags.limit}"`);
    }
    const path = await existingFile(positionals[0]!);
    const deadLetter = fileDeadLetterQueue(path);
    const total = (await deadLetter.list(limit === undefined ? undefined : { limit })).length;
    if (total === 0) {
      io.stdout.write(`${path}: empty, nothing to redrive\n`);
      return 0;
    }
    const report = deliveryReport(io, total);
    const publisher = createPublisher({
      transport: observeTransport(httpTransport(transport), (attempt) => {
        report.attempt(attempt);
        if (!attempt.result.ok) return;
        const { eventType, deliveryId, result } = attempt;
        report.delivered({ eventType, eventId: deliveryId, attempts: attempt.attempt, status: result.status });
      }),
      retry,
      deadLetter,
    });
    const { delivered, failed } = await publisher.redrive(limit === undefined ? {} : { limit });
    await publisher.close();
    report.failedCount(failed);
    report.finish();
    const left = await deadLetter.size();
    io.stdout.write(
      `${plural(total, 'entry', 'entries')} to ${printableUrl(String(transport.url))}: ${delivered} delivered and removed, ` +
        `${failed} still failing; ${left} left in ${path}\n`,
    );
    return failed === 0 ? 0 : 1;
  },
});
