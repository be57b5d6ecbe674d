/**
 * `npm run demo`: a publisher and a deliberately failing receiver in one process, no external service. Shows the
 * retries live, then a summary. Exits 0 when every event was delivered or sits in the dead-letter queue, 1 when
 * one was lost or processed twice, 2 on bad flags. `--help` prints the flags.
 *
 * @module
 */
import { demoExitCode } from './accounting.js';
import { parseDemoArgs, USAGE, wantsHelp } from './demo-args.js';
import { runHttpDemo } from './run-http.js';
import { runNatsDemo } from './run-nats.js';
import { formatSummary } from './summary.js';

if (wantsHelp(process.argv.slice(2))) {
  console.log(USAGE);
  process.exit(0);
}
let args: ReturnType<typeof parseDemoArgs>;
try {
  args = parseDemoArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const io = {
  write: (text: string) => void process.stdout.write(text),
  tty: process.stdout.isTTY === true,
  ...(process.stdout.columns !== undefined && { columns: process.stdout.columns }),
};
console.log(
  `Publishing ${args.count} Buddy events ${args.nats ? 'through NATS JetStream' : 'over HTTP'}; ` +
    `${Math.round(args.failureRate * 100)}% of ${args.nats ? 'handler runs' : 'requests'} fail on purpose (seed ${args.seed}).`,
);
let result = args.nats ? await runNatsDemo(args, io) : undefined;
if (args.nats && result === undefined) {
  console.log(`NATS does not answer at ${process.env.NATS_URL ?? 'nats://127.0.0.1:4222'}: running over HTTP instead.`);
}
result ??= await runHttpDemo(args, io);
const { summary, registry } = result;
console.log(formatSummary(summary));
if (args.metrics) console.log(`\n${await registry.metrics()}`);

const ok = demoExitCode(summary) === 0;
console.log(
  ok
    ? `OK: all ${summary.published} events delivered or accounted for in the dead-letter queue.`
    : `FAILED: ${summary.lost} events lost, ${summary.processedTwice} processed twice.`,
);
process.exitCode = demoExitCode(summary);
