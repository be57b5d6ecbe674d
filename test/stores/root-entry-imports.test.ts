// The root entry must load where Node's modules do not exist (Cloudflare workerd without Node compatibility): the
// outboxes, the file dead-letter queue and the HTTP transport load theirs on first use, and ./hono and ./testing
// follow. This walks each entry's static imports and lists every top-level value import of a `node:` module: there
// must be none. test/package/ loads the built files with Node's modules refused; test/runtimes/ runs workerd.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const IMPORT = /^(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'/gms;

function nodeImports(entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, typeOnly, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (typeOnly || spec === undefined) continue;
      if (spec.startsWith('node:')) found.push(`${relative(root, file)} → ${spec}`);
      else if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  };
  visit(resolve(root, entry));
  return found.sort();
}

describe('the root entry', () => {
  it.each(['src/index.ts', 'src/adapters/hono.ts', 'src/testing/index.ts'])(
    '%s imports no Node module at load time (the parts that need one import it on first use)',
    (entry) => {
      expect(nodeImports(entry)).toEqual([]);
    },
  );

  it('the walk finds a static node: import where there is one (./postgres, a Node-only entry)', () => {
    expect(nodeImports('src/stores/postgres.ts')).toContain('src/stores/postgres/postgres-outbox.ts → node:os');
  });

  it('reaches the file outbox, whose Node modules are imported on first use', () => {
    const text = readFileSync(resolve(root, 'src/stores/file/node-apis.ts'), 'utf8');
    expect(text).toMatch(/import\('node:fs\/promises'\)/);
    expect(readFileSync(resolve(root, 'src/index.ts'), 'utf8')).toContain("from './stores/file/file-outbox.js'");
  });
});
