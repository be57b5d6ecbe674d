/**
 * CRC-32 (the IEEE polynomial of zlib, gzip and PNG): `zlib.crc32` where Node has it (20.15 and later), a table-driven
 * one in JavaScript otherwise. The file outbox checksums every record with it.
 *
 * @module
 */

/**
 * @internal A CRC-32 function over bytes, continuing from `value` (0 to start).
 *
 * @example
 * ```ts
 * const crc: Crc32 = crc32With(zlib)
 * crc(Buffer.from('hello')) // 907060870
 * ```
 */
export type Crc32 = (data: Uint8Array, value?: number) => number;

let table: Int32Array | undefined;

/**
 * @internal The CRC-32 in JavaScript, for a Node without `zlib.crc32`.
 *
 * @example
 * ```ts
 * jsCrc32(new TextEncoder().encode('hello')) // 907060870
 * ```
 */
export function jsCrc32(data: Uint8Array, value = 0): number {
  if (table === undefined) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let crc = ~value;
  for (let i = 0; i < data.length; i++) crc = (table[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}

/**
 * @internal `zlib.crc32` when present, else {@link jsCrc32}.
 *
 * @example
 * ```ts
 * const crc = crc32With(await import('node:zlib'))
 * ```
 */
export function crc32With(zlib: { crc32?: (data: Uint8Array, value?: number) => number }): Crc32 {
  const native = zlib.crc32;
  return typeof native === 'function' ? (data, value) => native(data, value) : jsCrc32;
}
