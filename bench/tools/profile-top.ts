/**
 * `npx tsx bench/tools/profile-top.ts <file.cpuprofile> [count] [--inclusive]`: the functions with the most self
 * time (or, with `--inclusive`, total time including callees) in a `node --cpu-prof` profile, with their file and
 * line, and the share of the busy (non-idle) time. Set `BENCH_CPU_PROF=<dir>` when
 * running a benchmark to profile its server/client child processes.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const inclusive = args.includes('--inclusive');
const [file, countArg] = args.filter((a) => a !== '--inclusive');
if (!file) throw new TypeError('usage: profile-top.ts <file.cpuprofile> [count]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const self = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
const keyOf = (node: ProfileNode): string => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\/.*\/(node_modules|src|bench)\//, '$1/');
  return `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const byFrame = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) total += self.get(node.id) ?? 0;
if (inclusive) {
  // Depth-first from the root; a frame already on the stack (recursion) is not counted twice.
  const visit = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id)!;
    const key = keyOf(node);
    let sum = self.get(id) ?? 0;
    const stack = onStack.has(key) ? onStack : new Set([...onStack, key]);
    for (const child of node.children ?? []) sum += visit(child, stack);
    if (!onStack.has(key)) byFrame.set(key, (byFrame.get(key) ?? 0) + sum);
    return sum;
  };
  visit(profile.nodes[0]!.id, new Set());
} else {
  for (const node of profile.nodes)
    byFrame.set(keyOf(node), (byFrame.get(keyOf(node)) ?? 0) + (self.get(node.id) ?? 0));
}
const idle = [...byFrame].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
console.log(`total ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`);
for (const [key, t] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, Number(countArg ?? 40))) {
  console.log(
    `${((100 * t) / (total - idle)).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${key}`,
  );
}
