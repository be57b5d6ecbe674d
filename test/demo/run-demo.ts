// Runs `node --import tsx demo/demo.ts <flags>` (what `npm run demo` runs, in one process) as a child process and parses its summary table.
import { fileURLToPath } from 'node:url';
import { runToEnd } from '../helpers/run-to-end.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Summary rows: label → value text. */
  rows: Map<string, string>;
  /** The first integer of a row's value. */
  count(label: string): number;
}

export async function runDemo(flags: string[], env: Record<string, string> = {}, timeoutMs = 80_000): Promise<DemoRun> {
  const { code, stdout, stderr } = await runToEnd(process.execPath, ['--import', 'tsx', 'demo/demo.ts', ...flags], {
    cwd: root,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    timeoutMs,
  });
  const rows = new Map<string, string>();
  for (const match of stdout.matchAll(/^\| (.+?) +\| (.+?) +\|$/gm)) rows.set(match[1] as string, match[2] as string);
  const count = (label: string): number => {
    const value = /\d+/.exec(rows.get(label) ?? '');
    if (value === null) throw new Error(`no "${label}" row in the demo output:\n${stdout}\n${stderr}`);
    return Number(value[0]);
  };
  return { code, stdout, stderr, rows, count };
}
