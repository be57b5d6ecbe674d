/**
 * Reads a web `ReadableStream` body with a size cap: it stops, and cancels the stream, as soon as the cap is passed,
 * so a sender streaming 50 MB costs about `maxBodyBytes` of memory.
 *
 * @module
 */

const EMPTY = new Uint8Array(0);

/** @internal the body's bytes, or `undefined` when it is longer than `maxBytes` (the stream is then cancelled) */
export async function readWebBody(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  if (stream === null) return EMPTY;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
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
