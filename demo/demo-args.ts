/**
 * The demo's command-line flags.
 *
 * @module
 */

/**
 * What `npm run demo -- <flags>` asked for.
 *
 * @example
 * ```ts
 * const args: DemoArgs = parseDemoArgs(['--count', '100'])
 * ```
 */
export interface DemoArgs {
  /** Events to publish. @default 300 */
  count: number;
  /** Share of requests the failing proxy breaks, 0..1. @default 0.3 */
  failureRate: number;
  /** Publish through NATS JetStream instead of HTTP. @default false */
  nats: boolean;
  /** Seed of the fault schedule, to replay a run. @default random */
  seed: number;
  /** Print the Prometheus scrape of the run at the end. @default false */
  metrics: boolean;
}

/**
 * The usage text every flag error ends with.
 *
 * @example
 * ```ts
 * throw new TypeError(`unknown flag --x\n${USAGE}`)
 * ```
 */
export const USAGE = `Usage: npm run demo -- [--count N] [--failure-rate R] [--seed S] [--nats] [--metrics]

Publishes Buddy events through a receiver that fails on purpose, shows the retries live, then a summary.
Exits 0 when every event was delivered or sits in the dead-letter queue, 1 otherwise, 2 on bad flags.

  --count N          events to publish (default 300)
  --failure-rate R   share of requests that fail on purpose, 0..1 (default 0.3)
  --seed S           seed of the fault schedule, to replay a run (default random)
  --nats             publish through NATS JetStream (NATS_URL, default nats://127.0.0.1:4222)
  --metrics          print the Prometheus /metrics text at the end
  -h, --help         print this help`;

/**
 * Whether the flags ask for the usage text (`--help` or `-h`), which wins over every other flag.
 *
 * @example
 * ```ts
 * if (wantsHelp(process.argv.slice(2))) console.log(USAGE)
 * ```
 */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * Parses `process.argv.slice(2)`; accepts `--flag value` and `--flag=value`.
 *
 * @throws {TypeError} naming the flag, with the usage text.
 * @example
 * ```ts
 * parseDemoArgs(['--count', '100']).count // 100
 * ```
 */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const args: DemoArgs = {
    count: 300,
    failureRate: 0.3,
    nats: false,
    seed: Math.floor(Math.random() * 2 ** 31),
    metrics: false,
  };
  const tokens = argv.flatMap((token) =>
    token.startsWith('--') && token.includes('=') ? token.split('=', 2) : [token],
  );
  for (let i = 0; i < tokens.length; i++) {
    const flag = tokens[i];
    const value = (): number => {
      const next = Number(tokens[++i]);
      if (tokens[i] === undefined || !Number.isFinite(next)) throw new TypeError(`${flag} needs a number\n${USAGE}`);
      return next;
    };
    if (flag === '--count') args.count = value();
    else if (flag === '--failure-rate') args.failureRate = value();
    else if (flag === '--seed') args.seed = value();
    else if (flag === '--nats') args.nats = true;
    else if (flag === '--metrics') args.metrics = true;
    else throw new TypeError(`unknown flag ${flag}\n${USAGE}`);
  }
  if (!Number.isSafeInteger(args.count) || args.count < 1 || args.count > 100_000) {
    throw new TypeError(`--count must be an integer in 1..100000\n${USAGE}`);
  }
  if (args.failureRate < 0 || args.failureRate > 1) throw new TypeError(`--failure-rate must be in 0..1\n${USAGE}`);
  if (!Number.isSafeInteger(args.seed)) throw new TypeError(`--seed must be an integer\n${USAGE}`);
  return args;
}
