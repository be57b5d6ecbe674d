/**
 * The runtimes `npm run test:runtimes` covers: each binary from test/runtimes/node_modules (installed from the npm
 * registry by `npm ci --prefix test/runtimes`), how to ask its version, and how to start the app on a port.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { workerdConfig } from './workerd-config.js';

/**
 * How to run one runtime.
 *
 * @example `const { command, args } = runtime.start({ port, secret, bundles, workDir })`
 */
export interface Runtime {
  readonly name: string;
  readonly binary: string;
  readonly versionArgs: readonly string[];
  /** The client `httpTransport` must pick there: `node:http` (keep-alive, the fast path) or `fetch` (workerd). */
  readonly client: 'node:http' | 'fetch';
  start(context: StartContext): { args: string[]; env: Record<string, string> };
}

/**
 * What a runtime needs to start.
 *
 * @example `{ port: 4000, secret, bundles: { worker, web, node }, workDir: '.tmp/runtimes' }`
 */
export interface StartContext {
  port: number;
  secret: string;
  bundles: Record<'worker' | 'web' | 'node', string>;
  workDir: string;
}

/**
 * Every runtime, in the order of the report. `binDir` is test/runtimes/node_modules.
 *
 * @example `for (const runtime of runtimes(join(ROOT, 'test/runtimes/node_modules'))) …`
 */
export function runtimes(binDir: string): Runtime[] {
  const node = (name: string, binary: string): Runtime => ({
    name,
    binary,
    versionArgs: ['--version'],
    client: 'node:http',
    start: ({ port, secret, bundles }) => ({ args: [bundles.node], env: { PORT: String(port), SECRET: secret } }),
  });
  const workerd = (nodejsCompat: boolean): Runtime => ({
    name: nodejsCompat ? 'workerd + nodejs_compat' : 'workerd',
    binary: join(binDir, '@cloudflare/workerd-linux-64/bin/workerd'),
    versionArgs: ['--version'],
    client: 'fetch',
    start: ({ port, secret, bundles, workDir }) => {
      const config = join(workDir, `workerd-${nodejsCompat ? 'compat' : 'plain'}.capnp`);
      // workerd reads an embedded file relative to the config, which sits beside the bundle.
      writeFileSync(config, workerdConfig({ port, secret, bundle: basename(bundles.worker), nodejsCompat }));
      return { args: ['serve', config, '--verbose'], env: {} };
    },
  });
  return [
    node('node 20 (host)', process.execPath),
    node('node 22', join(binDir, 'node22/bin/node')),
    node('node 24', join(binDir, 'node24/bin/node')),
    {
      name: 'bun',
      binary: join(binDir, '@oven/bun-linux-x64/bin/bun'),
      versionArgs: ['--version'],
      client: 'node:http',
      start: ({ port, secret, bundles }) => ({
        args: ['run', '--no-install', bundles.web],
        env: { PORT: String(port), SECRET: secret, BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' },
      }),
    },
    {
      name: 'deno',
      binary: join(binDir, '@deno/linux-x64-glibc/deno'),
      versionArgs: ['--version'],
      client: 'node:http',
      start: ({ port, secret, bundles, workDir }) => ({
        args: ['run', '--no-config', '--no-prompt', '--allow-net=127.0.0.1', '--allow-env=PORT,SECRET', bundles.web],
        env: { PORT: String(port), SECRET: secret, DENO_DIR: join(workDir, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1' },
      }),
    },
    workerd(false),
    workerd(true),
  ];
}
