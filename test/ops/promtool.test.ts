import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isCI } from '../helpers/ci.js';
import { opsPath } from './ops-files.js';

// promtool ships with Debian's `prometheus` package. Outside CI a missing promtool skips with a notice; under
// CI (any truthy CI) it fails, so the rules are always checked before a release.
const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
const ci = isCI();
if (!hasPromtool && !ci) {
  console.warn('[test/ops] promtool is not on PATH: alert rule checks skipped (apt-get install -y prometheus)');
}

function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!hasPromtool && !ci)('promtool', () => {
  it('accepts the alert rules', () => {
    expect(hasPromtool, 'promtool must be on PATH under CI=true: apt-get install -y prometheus').toBe(true);
    const { status, output } = promtool('check', 'rules', opsPath('prometheus/alerts.yml'));
    expect(output).toContain('SUCCESS: 9 rules found');
    expect(status, output).toBe(0);
  });

  it('fires each alert above its threshold and stays quiet below it (alerts.test.yml)', () => {
    expect(hasPromtool, 'promtool must be on PATH under CI=true: apt-get install -y prometheus').toBe(true);
    const { status, output } = promtool('test', 'rules', opsPath('prometheus/alerts.test.yml'));
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });
});
