import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

// One build, many entries: every subpath of package.json `exports` is an entry here. `splitting` keeps the core in
// shared chunks for both formats, so `./express` and `.` load the same error classes inside one process.
export default defineConfig({
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
  clean: true,
  target: 'node20',
  platform: 'node',
  treeshake: true,
  define: { __PKG_VERSION__: JSON.stringify(version) },
});
