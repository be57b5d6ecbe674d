/**
 * How the demo decides that no event was lost: every event id reached a handler exactly once, or waits in the
 * dead-letter queue.
 *
 * @module
 */

/**
 * Events neither processed nor dead-lettered.
 *
 * @example
 * ```ts
 * countLost(['a', 'b'], new Map([['a', 1]]), new Set(['b'])) // 0
 * ```
 */
export function countLost(
  ids: readonly string[],
  processed: ReadonlyMap<string, number>,
  deadLettered: ReadonlySet<string>,
): number {
  return ids.filter((id) => !processed.has(id) && !deadLettered.has(id)).length;
}

/**
 * Events whose handler ran more than once: a duplicate that was not absorbed.
 *
 * @example
 * ```ts
 * countProcessedTwice(new Map([['a', 2]])) // 1
 * ```
 */
export function countProcessedTwice(processed: ReadonlyMap<string, number>): number {
  return [...processed.values()].filter((runs) => runs > 1).length;
}

/**
 * The process exit code: 0 when every event is accounted for, 1 otherwise.
 *
 * @example
 * ```ts
 * process.exitCode = demoExitCode(summary)
 * ```
 */
export function demoExitCode(summary: { lost: number; processedTwice: number }): 0 | 1 {
  return summary.lost === 0 && summary.processedTwice === 0 ? 0 : 1;
}
