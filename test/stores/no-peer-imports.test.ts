// The Redis and Postgres stores take the user's client: nothing under src/ may import redis, ioredis or pg at
// runtime (a type-only import is erased), so the package loads without them and never pins their versions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const PEERS = ['redis', 'ioredis', 'pg', '@redis/client'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('no runtime import of a Redis or Postgres client', () => {
  it('holds for every file under src/', () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
        const [, , typeOnly, spec] = m;
        if (typeOnly === undefined && PEERS.some((p) => spec === p || spec?.startsWith(`${p}/`))) {
          offenders.push(`${file.slice(SRC.length)}: ${spec}`);
        }
      }
      if (/\b(require|import)\(\s*['"](redis|ioredis|pg)['"]\s*\)/.test(text)) offenders.push(`${file}: dynamic`);
    }
    expect(offenders).toEqual([]);
  });
});
