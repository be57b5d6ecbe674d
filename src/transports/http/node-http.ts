/**
 * `node:http` and `node:https`, when the runtime has them, found without a static import: the root entry then loads
 * on runtimes without them (Cloudflare workerd without `nodejs_compat`), where the HTTP transport sends through the
 * global `fetch` instead.
 *
 * @module
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';

/**
 * @internal the two modules the Node path of the HTTP transport needs
 *
 * @example
 * ```ts
 * const modules: NodeHttp = { http, https }
 * ```
 */
export interface NodeHttp {
  readonly http: typeof Http;
  readonly https: typeof Https;
}

type NodeGlobals = {
  process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } };
  navigator?: { userAgent?: string };
};

let loading: Promise<NodeHttp | undefined> | undefined;

/**
 * @internal `node:http`/`node:https` at once where `process.getBuiltinModule` exists (Node ≥ 20.16, Bun, Deno), a
 * promise of them on older Node 20 releases (a dynamic import, run on first use only), and `undefined` where they are
 * missing or not worth it. On workerd, `node:http` (with `nodejs_compat`) is a layer over `fetch` itself: the
 * transport goes to `fetch` directly.
 *
 * @example
 * ```ts
 * const modules = nodeHttp()
 * const resolved = modules instanceof Promise ? await modules : modules
 * ```
 */
export function nodeHttp(): NodeHttp | undefined | Promise<NodeHttp | undefined> {
  const globals = globalThis as NodeGlobals;
  if (globals.navigator?.userAgent === 'Cloudflare-Workers') return undefined;
  const proc = globals.process;
  if (typeof proc?.getBuiltinModule === 'function') {
    try {
      const http = proc.getBuiltinModule('node:http') as typeof Http | undefined;
      const https = proc.getBuiltinModule('node:https') as typeof Https | undefined;
      return typeof http?.request === 'function' && typeof https?.request === 'function' ? { http, https } : undefined;
    } catch {
      return undefined;
    }
  }
  if (typeof proc?.versions?.node !== 'string') return undefined;
  loading ??= Promise.all([import('node:http'), import('node:https')]).then(
    ([http, https]) => ({ http, https }),
    () => undefined,
  );
  return loading;
}
