#!/usr/bin/env node
// Packs the package as npm would publish it, installs the tarball into a throwaway project (with the optional
// peers, from the local npm cache when possible), and loads every subpath with both `import` and `require`.
// It also checks that an error made by one entry and one format is recognised by the guards of another, and that the
// `event-relay` bin runs from the installed package.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'event-relay-smoke-'));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

// What each subpath must export, at least.
const EXPECTED = {
  '.': [
    'createPublisher',
    'createReceiver',
    'sign',
    'verify',
    'createEnvelope',
    'parseEvent',
    'buddyCatalog',
    'httpTransport',
    'fanoutTransport',
    'isEventRelayError',
    'DEFAULTS',
  ],
  './buddy': ['BUDDY_EVENT_TYPES', 'BuddyMatchCreatedSchema'],
  './node': ['nodeReceiver'],
  './express': ['expressReceiver'],
  './fastify': ['fastifyReceiver'],
  './hono': ['honoReceiver'],
  './nats': ['natsTransport', 'natsConsumer', 'ensureStream'],
  './prometheus': ['prometheusMetrics'],
  './testing': ['signedRequest', 'flakyServer', 'buddySample'],
  './redis': ['redisIdempotencyStore'],
  './postgres': ['postgresIdempotencyStore', 'ensureIdempotencyTable', 'idempotencyTableSql'],
};

try {
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', dir], root).trim().split('\n').pop();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'smoke', private: true, type: 'commonjs' }));
  // The peers at the versions the lockfile holds, so the install is served from the cache `npm ci` filled.
  const peers = Object.keys(pkg.peerDependencies).map(
    (name) => `${name}@${lock.packages[`node_modules/${name}`].version}`,
  );
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, tarball), ...peers],
    dir,
  );

  const checks = Object.entries(EXPECTED).map(([subpath, names]) => {
    const spec = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    return { spec, names };
  });
  const esm = `
    const checks = ${JSON.stringify(checks)};
    for (const { spec, names } of checks) {
      const mod = await import(spec);
      const missing = names.filter((n) => !(n in mod));
      if (missing.length) throw new Error(spec + ' (import) lacks ' + missing.join(', '));
    }
    console.log('import: ' + checks.length + ' subpaths load');`;
  process.stdout.write(run('node', ['--input-type=module', '-e', esm], dir));
  const cjs = `
    const checks = ${JSON.stringify(checks)};
    for (const { spec, names } of checks) {
      const mod = require(spec);
      const missing = names.filter((n) => !(n in mod));
      if (missing.length) throw new Error(spec + ' (require) lacks ' + missing.join(', '));
    }
    console.log('require: ' + checks.length + ' subpaths load');`;
  process.stdout.write(run('node', ['-e', cjs], dir));

  // An error from the ESM build of one entry is recognised by the CJS build's guards, and the other way round.
  const guards = `
    const cjs = require('${pkg.name}');
    import('${pkg.name}/testing').then(async (testing) => {
      const esm = await import('${pkg.name}');
      let thrown;
      try { esm.createReceiver({}); } catch (e) { thrown = e; }
      if (!cjs.isEventRelayError(thrown, 'ConfigError')) throw new Error('CJS guard does not recognise an ESM ConfigError');
      let thrownCjs;
      try { cjs.createReceiver({}); } catch (e) { thrownCjs = e; }
      if (!esm.isEventRelayError(thrownCjs, 'ConfigError')) throw new Error('ESM guard does not recognise a CJS ConfigError');
      const bad = new cjs.SignatureVerificationError('invalid_signature', 'x');
      if (!esm.isEventRelayError(bad, 'SignatureVerificationError') || esm.isEventRelayError(bad, 'ConfigError')) throw new Error('guards confuse error classes');
      console.log('guards: errors recognised across entries and formats');
    }).catch((e) => { console.error(e); process.exit(1); });`;
  process.stdout.write(run('node', ['-e', guards], dir));

  // The bin as npm links it: node_modules/.bin/event-relay, run from the installed tarball.
  const version = run(join(dir, 'node_modules', '.bin', 'event-relay'), ['--version'], dir).trim();
  if (version !== pkg.version) throw new Error(`event-relay --version printed ${version}, not ${pkg.version}`);
  const secret = run(join(dir, 'node_modules', '.bin', 'event-relay'), ['keys', 'generate'], dir).trim();
  if (!secret.startsWith('whsec_')) throw new Error('event-relay keys generate printed no whsec_ secret');
  console.log(`bin: event-relay ${version} runs from the installed package`);
  console.log(`pack-smoke: ${tarball} installs and loads every subpath with import and require`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
