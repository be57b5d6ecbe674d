/**
 * Builds the three bundles the runtimes load, from the built dist/ (never the sources): `worker.mjs` (workerd),
 * `serve-web.mjs` (Bun, Deno) and `serve-node.mjs` (Node). Node's modules stay `node:` imports, so a bundle that
 * reached one at load would fail on workerd without nodejs_compat exactly as a user's Worker would.
 *
 * @module
 */
import { join } from 'node:path';
import { type BuildOptions, build, type Plugin } from 'esbuild';

/** The package's public names, resolved to the built files. */
function builtPackage(root: string): Plugin {
  const files: Record<string, string> = {
    '@teei/event-relay': 'dist/index.js',
    '@teei/event-relay/hono': 'dist/adapters/hono.js',
    '@teei/event-relay/testing': 'dist/testing/index.js',
  };
  return {
    name: 'built-package',
    setup(context) {
      context.onResolve({ filter: /^@teei\/event-relay(\/hono|\/testing)?$/ }, (args) => ({
        path: join(root, files[args.path] ?? ''),
      }));
    },
  };
}

/**
 * The bundles' paths, by entry name.
 *
 * @example `const { worker } = await bundleApps(ROOT, outDir)`
 */
export async function bundleApps(root: string, outDir: string): Promise<Record<'worker' | 'web' | 'node', string>> {
  const app = (name: string) => join(root, 'test/runtimes/app', name);
  const common: BuildOptions = {
    bundle: true,
    format: 'esm',
    target: 'es2022',
    logLevel: 'error',
    plugins: [builtPackage(root)],
  };
  const fetchRuntimes: BuildOptions = {
    ...common,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'import'],
    external: ['node:*'],
  };
  const out = {
    worker: join(outDir, 'worker.mjs'),
    web: join(outDir, 'serve-web.mjs'),
    node: join(outDir, 'serve-node.mjs'),
  };
  await Promise.all([
    build({ ...fetchRuntimes, entryPoints: [app('worker.ts')], outfile: out.worker }),
    build({ ...fetchRuntimes, entryPoints: [app('serve-web.ts')], outfile: out.web }),
    build({ ...common, platform: 'node', entryPoints: [app('serve-node.ts')], outfile: out.node }),
  ]);
  return out;
}
