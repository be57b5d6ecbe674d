#!/usr/bin/env node
// Fails when any package in the lockfile declares an `engines.node` range that the running Node does not
// satisfy. npm only warns on such a mismatch, also deep in the tree, so a dependency bump can silently pull in a
// package that needs a newer Node than the one the SDK promises (>= 20).
import { readFileSync } from 'node:fs';
import semver from 'semver';

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const current = process.versions.node;
const bad = [];
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  const range = entry.engines?.node;
  if (!path || !range) continue;
  if (!semver.satisfies(current, range, { includePrerelease: true })) {
    bad.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${range}`);
  }
}
if (bad.length > 0) {
  console.error(`check:engines: ${bad.length} package(s) in package-lock.json do not support Node ${current}:`);
  for (const line of bad) console.error(`  - ${line}`);
  process.exit(1);
}
console.log(`check:engines: every package in package-lock.json accepts Node ${current}`);
