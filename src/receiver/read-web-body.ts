/**
 * Reads a web `ReadableStream` body with a size cap and a deadline: it stops, and cancels the stream, as soon as the
 * cap is passed (so a sender streaming 50 MB costs about `maxBodyBytes` of memory) or the deadline is (so a sender
 * trickling a body holds nothing past it).
 *
 * @module
 */

const EMPTY = new Uint8Array(0);

/** @internal why a body was not read: longer than the cap, or not complete by the deadline */
export type BodyRefusal = 'too_large' | 'timed_out';

/** @internal the body's bytes, or why it was refused (the stream is then cancelled) */
export async function readWebBody(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array | BodyRefusal> {
  if (stream === null) return EMPTY;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timedOut = false;
  // Cancelling settles the pending read as done: no race of promises on every chunk.
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => {});
  }, timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) return 'timed_out';
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        reader.cancel().catch(() => {});
        return 'too_large';
      }
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  return concat(chunks, total);
}

/** @internal one buffer from many, without copying a lone chunk */
export function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  if (chunks.length === 0) return EMPTY;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
