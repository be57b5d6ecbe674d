// The build helper decides right when dist/ must be rebuilt and which runs need it.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildOutputs, distStaleness, runNeedsDist } from './build.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'build-helper-'));
  dirs.push(root);
  const exportsMap = {
    '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' }, require: './dist/index.cjs' },
    './package.json': './package.json',
  };
  writeFileSync(join(root, 'package.json'), JSON.stringify({ exports: exportsMap, bin: { tool: './dist/cli.js' } }));
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  writeFileSync(join(root, 'src', 'deep', 'a.ts'), '');
  return root;
}

function touch(path: string, secondsAgo: number): void {
  const time = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, time, time);
}

describe('distStaleness', () => {
  it('lists every exported file and bin of package.json as an output', () => {
    expect(buildOutputs(fixture()).sort()).toEqual([
      'dist/cli.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.js',
    ]);
  });

  it('asks for a build when an output is missing, or a source is newer than the oldest output', () => {
    const root = fixture();
    expect(distStaleness(root)).toMatch(/^dist\/[a-z.]+ is missing$/);
    mkdirSync(join(root, 'dist'));
    for (const output of buildOutputs(root)) writeFileSync(join(root, output), '');
    for (const path of ['package.json', 'src/deep/a.ts', 'src/deep', 'src']) touch(join(root, path), 60);
    expect(distStaleness(root)).toBeUndefined();
    touch(join(root, 'src', 'deep', 'a.ts'), 0);
    expect(distStaleness(root)).toBe('src changed since the last build');
  });
});

describe('runNeedsDist', () => {
  it('is true for the whole suite and for filters that select a test needing dist/', () => {
    expect(runNeedsDist(undefined)).toBe(true);
    expect(runNeedsDist([])).toBe(true);
    expect(runNeedsDist(['snippets'])).toBe(true);
    expect(runNeedsDist(['test/docs'])).toBe(true);
    expect(runNeedsDist(['/repo/test/docs/snippets.test.ts'])).toBe(true);
    expect(runNeedsDist(['test/publisher', 'test/envelope/create-envelope.test.ts'])).toBe(false);
  });
});
