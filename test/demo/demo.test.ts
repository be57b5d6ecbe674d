import { describe, expect, it } from 'vitest';
import { natsAvailable } from '../helpers/nats.js';
import { runDemo } from './run-demo.js';

function numbers(text: string | undefined): number[] {
  return [...(text ?? '').matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** The figures of the last progress line. */
function lastProgress(stdout: string): {
  delivered: number;
  retries: number;
  duplicates: number;
  deadLettered: number;
} {
  const lines = [
    ...stdout.matchAll(
      /^\d+\/\d+ settled · delivered (\d+) · retries (\d+) · duplicates absorbed (\d+) · dead-lettered (\d+) · pending \d+$/gm,
    ),
  ];
  const last = lines.at(-1);
  if (last === undefined) throw new Error(`no progress line in:\n${stdout}`);
  const [, delivered, retries, duplicates, deadLettered] = last.map(Number);
  return { delivered: delivered!, retries: retries!, duplicates: duplicates!, deadLettered: deadLettered! };
}

describe('npm run demo', () => {
  it('prints its usage with --help and exits 0, without running', async () => {
    const run = await runDemo(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npm run demo -- [--count N]');
    expect(run.stdout).toContain('-h, --help');
    expect(run.stdout).not.toContain('Publishing');
    const bad = await runDemo(['--fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown flag --fast');
  });

  it('ends on a progress line that agrees with the summary, redrive duplicates counted apart', async () => {
    // 300 events at 30 % failures: a few are dead-lettered, some after their handler ran (acknowledgements lost),
    // so the redrive after recovery brings duplicates. They used to land in the summary's "duplicates absorbed"
    // after the last progress line was printed: the two disagreed by that count.
    const run = await runDemo(['--count', '300', '--seed', '6']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const last = lastProgress(run.stdout);
    expect(run.count('delivered')).toBe(last.delivered);
    expect(run.count('retries')).toBe(last.retries);
    expect(run.count('duplicates absorbed')).toBe(last.duplicates);
    const [deadLettered = -1, redriven = -1, stillQueued = -1, redrivenDuplicates = 0] = numbers(
      run.rows.get('dead-lettered'),
    );
    expect(deadLettered).toBe(last.deadLettered);
    expect(redriven + stillQueued).toBe(deadLettered);
    expect(redrivenDuplicates).toBeLessThanOrEqual(redriven);
    expect(last.delivered + last.deadLettered).toBe(300);
  }, 120_000);

  it('delivers or accounts for every event through a failing receiver, with real duplicates absorbed', async () => {
    const run = await runDemo(['--count', '100', '--seed', '7']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('OK: all 100 events delivered or accounted for');
    expect(run.count('events published')).toBe(100);
    expect(run.count('lost')).toBe(0);
    expect(run.count('processed twice')).toBe(0);
    const [deadLettered = -1, redriven = -1, stillQueued = -1, redrivenDuplicates = 0] = numbers(
      run.rows.get('dead-lettered'),
    );
    expect(run.count('delivered') + deadLettered).toBe(100);
    expect(redriven + stillQueued).toBe(deadLettered);
    expect(lastProgress(run.stdout)).toMatchObject({ delivered: run.count('delivered'), deadLettered });
    expect(run.count('attempts')).toBeGreaterThanOrEqual(100 + run.count('retries'));
    expect(run.count('retries')).toBeGreaterThan(0);
    // Each lost acknowledgement is a request the receiver processed but the publisher never heard back from: its
    // next copy comes back as a duplicate, acknowledged without running the handler again — a retry, or, when the
    // retries ran out first (the last attempt's ack lost, or every later attempt faulted), the redrive. Only an event
    // still in the dead-letter queue has no next copy.
    const lostAcks = Number(/lost_ack (\d+)/.exec(run.rows.get('faults injected') ?? '')?.[1]);
    expect(lostAcks).toBeGreaterThan(0);
    expect(run.count('duplicates absorbed') + redrivenDuplicates + stillQueued).toBeGreaterThanOrEqual(lostAcks);
    expect(run.count('duplicates absorbed')).toBeGreaterThan(0);
    // Not a terminal: plain progress lines, no carriage returns.
    expect(run.stdout).toMatch(/^\d+\/100 settled · delivered \d+/m);
    expect(run.stdout).not.toContain('\r');
  }, 90_000);

  it('injects no fault with --failure-rate 0, and prints the scrape with --metrics', async () => {
    const run = await runDemo(['--count', '40', '--failure-rate', '0', '--metrics']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.rows.get('faults injected')).toBe('none');
    expect(run.count('lost')).toBe(0);
    // Without faults only a timed-out attempt on a very busy machine can cause a retry; the count stays consistent.
    expect(run.count('attempts')).toBe(40 + run.count('retries'));
    // 40 events cycle through the 8 Buddy types: each handler ran exactly 5 times, whatever was retried.
    for (const type of ['buddy.match.created', 'buddy.milestone.reached']) {
      expect(run.stdout).toContain(`csr_webhook_received_total{event_type="${type}",status="202"} 5`);
      expect(run.stdout).toMatch(
        new RegExp(`buddy_webhook_publish_total\\{event_type="${type}",status="delivered"\\} \\d`),
      );
    }
    expect(run.stdout).toContain('# TYPE buddy_webhook_publish_duration_ms histogram');
  }, 90_000);

  it.skipIf(!natsAvailable())(
    'runs through NATS JetStream with --nats',
    async () => {
      const run = await runDemo(['--count', '50', '--nats', '--seed', '3']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('through NATS JetStream');
      expect(run.count('lost')).toBe(0);
      expect(run.count('processed twice')).toBe(0);
      const [deadLettered = -1] = numbers(run.rows.get('dead-lettered'));
      expect(run.count('delivered') + deadLettered).toBe(50);
    },
    90_000,
  );

  it('falls back to HTTP with --nats when NATS does not answer', async () => {
    const run = await runDemo(['--count', '16', '--nats', '--failure-rate', '0'], { NATS_URL: 'nats://127.0.0.1:1' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('NATS does not answer at nats://127.0.0.1:1: running over HTTP instead.');
    expect(run.count('lost')).toBe(0);
  }, 90_000);
});
