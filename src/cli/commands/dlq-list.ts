/**
 * `event-relay dlq list`: what waits in a file dead-letter queue, and why.
 *
 * @module
 */
import { fileDeadLetterQueue } from '../../index.js';
import type { FlagSpecs } from '../args.js';
import { UsageError } from '../cli-errors.js';
import { defineCommand } from '../command.js';
import { existingFile } from '../existing-file.js';
import { JSON_FLAG } from '../key-flags.js';
import { plural } from '../plural.js';
import { renderTable } from '../table.js';

const FLAGS = {
  limit: { type: 'string', value: '<n>', description: 'show the n oldest entries only' },
  json: { ...JSON_FLAG, description: 'print the entries as JSON lines, one per entry' },
} as const satisfies FlagSpecs;

/**
 * The `dlq list` command.
 *
 * @example `event-relay dlq list ./dead-letters.jsonl --limit 20`
 */
export const dlqListCommand = defineCommand({
  name: 'dlq list',
  summary: 'list the entries of a file dead-letter queue',
  description:
    'Reads a dead-letter file as fileDeadLetterQueue() writes it (JSON lines; a torn last line from a crash is\n' +
    'skipped) and lists each entry, oldest first: when, its id, the event type, the attempts made and the last\n' +
    'error. Nothing is changed.',
  positionals: [{ name: 'file', description: 'the dead-letter file, e.g. ./dead-letters.jsonl' }],
  flags: FLAGS,
  examples: [
    'event-relay dlq list ./dead-letters.jsonl',
    'event-relay dlq list ./dead-letters.jsonl --json | jq .error',
  ],
  async run({ flags, positionals }, io) {
    const limit = flags.limit === undefined ? undefined : Number(flags.limit);
    if (limit !== undefined && (!/^\d+$/.test(flags.limit!) || limit < 1)) {
      throw new UsageError('dlq list', `--limit must be a positive integer, got "${flags.limit}"`);
    }
    const path = await existingFile(positionals[0]!);
    const queue = fileDeadLetterQueue(path);
    const entries = await queue.list(limit === undefined ? undefined : { limit });
    if (flags.json) {
      for (const entry of entries) io.stdout.write(`${JSON.stringify(entry)}\n`);
      return 0;
    }
    const total = await queue.size();
    if (total === 0) {
      io.stdout.write(`${path}: empty\n`);
      return 0;
    }
    const { color } = io.stdout;
    const rows = entries.map((e) => [
      e.deadLetteredAt,
      e.id,
      e.envelope.type,
      String(e.attempts),
      `${e.retryable ? color.yellow('retryable') : color.red('permanent')} ${e.error.code}: ${e.error.message}`,
    ]);
    const header = ['DEAD-LETTERED AT', 'ID', 'TYPE', 'ATTEMPTS', 'LAST ERROR'].map((h) => color.dim(h));
    io.stdout.write(`${renderTable([header, ...rows])}\n\n`);
    const shown =
      entries.length < total
        ? `${entries.length} of ${plural(total, 'entry', 'entries')}`
        : plural(total, 'entry', 'entries');
    io.stdout.write(`${shown}. Send them again with: event-relay dlq redrive ${path} --url <url>\n`);
    return 0;
  },
});
