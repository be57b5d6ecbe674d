import { describe, expect, it } from 'vitest';
import { countLost, countProcessedTwice, demoExitCode } from '../../demo/accounting.js';
import { parseDemoArgs } from '../../demo/demo-args.js';
import { seededRandom } from '../../demo/seeded-random.js';
import { percentile } from '../../demo/summary.js';

describe('demo flags', () => {
  it('has the documented defaults', () => {
    expect(parseDemoArgs([])).toMatchObject({ count: 300, failureRate: 0.3, nats: false, metrics: false });
  });

  it('reads --flag value and --flag=value', () => {
    expect(parseDemoArgs(['--count', '100', '--failure-rate=0.5', '--nats', '--seed', '9', '--metrics'])).toEqual({
      count: 100,
      failureRate: 0.5,
      nats: true,
      seed: 9,
      metrics: true,
    });
  });

  it.each([
    [['--failure-rate', '2'], '--failure-rate must be in 0..1'],
    [['--count', '0'], '--count must be an integer'],
    [['--count'], '--count needs a number'],
    [['--fast'], 'unknown flag --fast'],
  ])('refuses %j with the usage', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(message);
    expect(() => parseDemoArgs(argv)).toThrow('Usage: npm run demo');
  });
});

describe('demo helpers', () => {
  it('replays the same fault schedule for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Array.from({ length: 5 }, seededRandom(43))).not.toEqual(first);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
  });
});

describe('demo accounting', () => {
  const ids = ['a', 'b', 'c'];
  it('counts an event neither processed nor dead-lettered as lost, and exits 1', () => {
    const lost = countLost(ids, new Map([['a', 1]]), new Set(['b']));
    expect(lost).toBe(1);
    expect(demoExitCode({ lost, processedTwice: 0 })).toBe(1);
  });

  it('counts a handler that ran twice, and exits 1', () => {
    const processed = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 1],
    ]);
    expect(countLost(ids, processed, new Set())).toBe(0);
    expect(countProcessedTwice(processed)).toBe(1);
    expect(demoExitCode({ lost: 0, processedTwice: 1 })).toBe(1);
  });

  it('exits 0 when every event was processed once or dead-lettered', () => {
    const processed = new Map([
      ['a', 1],
      ['c', 1],
    ]);
    const lost = countLost(ids, processed, new Set(['b']));
    expect(demoExitCode({ lost, processedTwice: countProcessedTwice(processed) })).toBe(0);
  });
});
