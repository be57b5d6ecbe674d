/**
 * Live progress: one updating line with a bar on a terminal, a plain line every second otherwise (CI logs, pipes).
 *
 * @module
 */

/**
 * What the progress line shows.
 *
 * @example
 * ```ts
 * const snapshot: ProgressSnapshot = { settled: 1, delivered: 1, deadLettered: 0, retries: 0, duplicates: 0, pending: 0 }
 * ```
 */
export interface ProgressSnapshot {
  settled: number;
  delivered: number;
  deadLettered: number;
  retries: number;
  duplicates: number;
  pending: number;
}

/**
 * Starts printing; `stop()` prints the last state, ends the line and returns that state: the summary reports the
 * same figures, so the last line and the summary cannot disagree.
 *
 * @example
 * ```ts
 * const progress = startProgress({ total: 300, snapshot, tty: process.stdout.isTTY === true, write })
 * ```
 */
export function startProgress(options: {
  total: number;
  snapshot: () => ProgressSnapshot;
  tty: boolean;
  /** Terminal width: a longer line would wrap and break the in-place update. @default 120 */
  columns?: number;
  write: (text: string) => void;
}): { stop(): ProgressSnapshot } {
  const { total, snapshot, tty, write, columns = 120 } = options;
  const render = (s: ProgressSnapshot): string => {
    const counts =
      `${s.settled}/${total} settled · delivered ${s.delivered} · retries ${s.retries} · ` +
      `duplicates absorbed ${s.duplicates} · dead-lettered ${s.deadLettered} · pending ${s.pending}`;
    if (!tty) return counts;
    const width = 24;
    const done = Math.round((s.settled / total) * width);
    return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${counts}`.slice(0, Math.max(20, columns - 1));
  };
  const tick = (): ProgressSnapshot => {
    const s = snapshot();
    write(tty ? `\r\x1b[2K${render(s)}` : `${render(s)}\n`);
    return s;
  };
  const timer = setInterval(tick, tty ? 100 : 1000);
  if (tty) tick();
  return {
    stop() {
      clearInterval(timer);
      const last = tick();
      if (tty) write('\n');
      return last;
    },
  };
}
