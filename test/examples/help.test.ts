// `--help` on every npm script that takes arguments: it prints the usage and exits 0; an argument the script does not
// know exits 2 with the usage. Run through npm itself, as the README tells a newcomer to.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Finished, runToEnd } from '../helpers/run-to-end.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> })
  .scripts;

/** Script → what its usage must mention. */
const USAGES: Record<string, string[]> = {
  demo: ['Usage: npm run demo -- [--count N]', '--failure-rate R', '--seed S'],
  bench: [
    'Usage: npm run bench -- [--quick]',
    '--only <name>',
    'signatures, receiving, receiving-stores, publishing, nats, latency, durability, durability-postgres',
  ],
  'example:publisher': ['Usage: npm run example:publisher', 'CSR_WEBHOOK_URL', 'CSR_WEBHOOK_SECRET', 'EVENT_COUNT'],
  'example:express': ['Usage: npm run example:express', 'PORT', 'WEBHOOK_SIGNATURE_SECRET'],
  'example:fastify': ['Usage: npm run example:fastify', 'PORT', 'WEBHOOK_SIGNATURE_SECRET'],
  'example:hono': ['Usage: npm run example:hono', 'PORT', 'WEBHOOK_SIGNATURE_VALIDATION_ENABLED'],
  'example:nats': ['Usage: npm run example:nats', 'EVENT_TRANSPORT', 'NATS_URL'],
  'docs:api': ['Usage: npm run docs:api', '--out <dir>'],
};

function npmRun(script: string, args: string[]): Promise<Finished> {
  return runToEnd('npm', ['run', '--silent', script, '--', ...args], {
    cwd: root,
    env: { ...process.env, FORCE_COLOR: '0', NATS_URL: 'nats://127.0.0.1:1' },
  });
}

describe('--help on the npm scripts', () => {
  it('covers every script that runs a TypeScript file with tsx', () => {
    const runners = Object.entries(scripts)
      .filter(([, command]) => command.startsWith('tsx '))
      .map(([name]) => name);
    expect(runners.sort()).toEqual(Object.keys(USAGES).sort());
  });

  it.each(Object.entries(USAGES))(
    'npm run %s -- --help prints the usage and exits 0',
    async (script, words) => {
      const run = await npmRun(script, ['--help']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      for (const word of words) expect(run.stdout).toContain(word);
      expect(run.stderr).toBe('');
    },
    90_000,
  );

  it.each(Object.keys(USAGES).filter((s) => s !== 'demo'))(
    'npm run %s -- --bogus exits 2 with the usage',
    async (script) => {
      const run = await npmRun(script, ['--bogus']);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain('--bogus');
      expect(run.stderr).toContain(`Usage: npm run ${script}`);
    },
    90_000,
  );
});
