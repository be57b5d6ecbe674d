import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
const define = { __PKG_VERSION__: JSON.stringify(version) };

// The `event-relay` executable (package.json `bin`): one ESM file with the library bundled in, so it starts without
// resolving the package by name and carries no declaration files. It imports the library through its public entries
// only (src/index.ts, src/adapters/node.ts, src/testing/index.ts). test/cli/ builds this same config into .tmp/.
export const cliConfig = {
  entry: { 'event-relay': 'src/cli/main.ts' },
  outDir: 'dist/cli',
  format: ['esm'],
  dts: false,
  splitting: false,
  // Its errors are messages, never stack traces: a source map would only add to the tarball.
  sourcemap: false,
  clean: true,
  target: 'node20',
  platform: 'node',
  removeNodeProtocol: false,
  // esbuild's own tree shaking only: tsup's `treeshake` (a Rollup pass) cost 3 to 6 s per build here for 1.4 KB.
  define,
} satisfies Options;

// One build, many entries: every subpath of package.json `exports` is an entry here. `splitting` keeps the core in
// shared chunks for both formats, so `./express` and `.` load the same error classes inside one process.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'adapters/node': 'src/adapters/node.ts',
      'adapters/express': 'src/adapters/express.ts',
      'adapters/fastify': 'src/adapters/fastify.ts',
      'adapters/hono': 'src/adapters/hono.ts',
      'transports/nats': 'src/transports/nats.ts',
      'observability/prometheus': 'src/observability/prometheus.ts',
      'testing/index': 'src/testing/index.ts',
      'stores/postgres': 'src/stores/postgres.ts',
      'stores/redis': 'src/stores/redis.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    splitting: true,
    sourcemap: true,
    // Everything but dist/cli, which the second config cleans and writes (both run at once).
    clean: ['!cli/**'],
    target: 'node20',
    platform: 'node',
    // Keep `node:` in the output: workerd (with nodejs_compat), Deno and Bun resolve Node's modules by that name only.
    removeNodeProtocol: false,
    treeshake: true,
    define,
  },
  cliConfig,
]);
