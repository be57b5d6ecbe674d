/**
 * `node:crypto`, when the runtime has it. Read through `process.getBuiltinModule` (Node ≥ 20.16, Deno, Bun) rather
 * than a static import, so the module graph has no `node:` import: bundlers for edge runtimes (where only Web Crypto
 * exists) build it unchanged, and the Web Crypto engine takes over there. Node 20 releases before 20.16 also fall
 * back to Web Crypto: correct, but slower and asynchronous only.
 *
 * @module
 */
import type * as NodeCrypto from 'node:crypto';

type BuiltinLoader = { getBuiltinModule?: (id: string) => unknown };

function load(): typeof NodeCrypto | undefined {
  const proc = (globalThis as { process?: BuiltinLoader }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  const module = proc.getBuiltinModule('node:crypto') as typeof NodeCrypto | undefined;
  // The engine also needs the Buffer global, which every runtime with node:crypto defines.
  const hasBuffer = typeof (globalThis as { Buffer?: unknown }).Buffer === 'function';
  return hasBuffer && typeof module?.createHmac === 'function' ? module : undefined;
}

/**
 * The `node:crypto` module, or `undefined` on runtimes without it.
 *
 * @example `if (nodeCrypto) nodeCrypto.createHmac('sha256', key)`
 */
export const nodeCrypto: typeof NodeCrypto | undefined = load();
