// Output that grows (a child's stdout and stderr, an in-memory CLI stream) and a wait for a pattern in it. The wait
// is on writes, not on time: the timeout only guards against a hang, with the output in its message.

export class OutputWatch {
  private readonly listeners = new Set<() => void>();
  private ended = false;

  /** Everything written so far, stdout and stderr in the order they arrived. */
  text = '';

  /** @param label - names the source in error messages, e.g. the script's file. */
  constructor(private readonly label = 'output') {}

  append(chunk: string | Buffer): void {
    this.text += chunk.toString();
    this.notify();
  }

  /** No more output will come (the process exited): a pending wait rejects unless it already matches. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = this.text.match(pattern);
        if (match === null && !this.ended) return;
        cleanup();
        if (match !== null) resolve(match);
        else reject(new Error(`${this.label} ended before ${pattern}:\n${this.text}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.label}: no ${pattern} within ${timeoutMs} ms:\n${this.text}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
