/**
 * The Node modules the file outbox needs, imported on first use and cached. Nothing here is imported when the module
 * loads, so the root entry still loads on runtimes without them (Cloudflare workerd without Node compatibility); only
 * opening a file outbox needs Node.
 *
 * @module
 */
import type * as Fs from 'node:fs/promises';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import type * as Zlib from 'node:zlib';

/**
 * @internal
 *
 * @example
 * ```ts
 * const { fs, path } = await nodeApis()
 * ```
 */
export interface NodeApis {
  readonly fs: typeof Fs;
  readonly path: typeof Path;
  readonly os: typeof Os;
  readonly zlib: typeof Zlib;
}

let loading: Promise<NodeApis> | undefined;

/**
 * @internal Loads the Node modules once.
 *
 * @example
 * ```ts
 * const { fs } = await nodeApis()
 * await fs.mkdir(dir, { recursive: true })
 * ```
 */
export function nodeApis(): Promise<NodeApis> {
  loading ??= Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('node:os'),
    import('node:zlib'),
  ]).then(([fs, path, os, zlib]) => ({ fs, path, os, zlib }));
  return loading;
}
