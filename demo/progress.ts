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
 * Starts printing; `stop()` prints the last state and ends the line.
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
}): { stop(): void } {
  const { total, snapshot, tty, write, columns = 120 } = options;
  const render = (): string => {
    const s = snapshot();
    const counts =
      `${s.settled}/${total} settled · delivered ${s.delivered} · retries ${s.retries} · ` +
      `duplicates absorbed ${s.duplicates} · dead-lettered ${s.deadLettered} · pending ${s.pending}`;
    if (!tty) return counts;
    const width = 24;
    const done = Math.round((s.settled / total) * width);
    return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${counts}`.slice(0, Math.max(20, columns - 1));
  };
  const tick = (): void => write(tty ? `\r\x1b[2K${render()}` : `${render()}\n`);
  const timer = setInterval(tick, tty ? 100 : 1000);
  if (tty) tick();
  return {
    stop() {
      clearInterval(timer);
      tick();
      if (tty) write('\n');
    },
  };
}
