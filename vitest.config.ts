import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

// Tests, examples and the demo import the public names (`@teei/event-relay/express` …); inside vitest they resolve
// to the sources, so a test never runs against a stale build. `check:package` covers the built files.
const SUBPATHS: Record<string, string> = {
  node: 'adapters/node.ts',
  express: 'adapters/express.ts',
  fastify: 'adapters/fastify.ts',
  hono: 'adapters/hono.ts',
  nats: 'transports/nats.ts',
  prometheus: 'observability/prometheus.ts',
  testing: 'testing/index.ts',
  postgres: 'stores/postgres.ts',
  redis: 'stores/redis.ts',
  buddy: 'catalog/buddy.ts',
};

export default defineConfig({
  define: { __PKG_VERSION__: JSON.stringify(version) },
  resolve: {
    alias: [
      ...Object.entries(SUBPATHS).map(([name, file]) => ({
        find: new RegExp(`^@teei/event-relay/${name}$`),
        replacement: src(file),
      })),
      { find: /^@teei\/event-relay$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/setup/global-setup.ts'],
    // `npm run test:coverage`: v8 coverage of src/, and the run fails under the threshold.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts'],
      reporter: ['text-summary', 'json-summary', 'text'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 90 },
      // The figure is wanted even when a test fails (a service down): the failure still fails the run.
      reportOnFailure: true,
    },
  },
});
