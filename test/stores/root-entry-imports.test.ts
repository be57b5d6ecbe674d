// The root entry must load where Node's modules do not exist (Cloudflare workerd without Node compatibility): the
// outboxes load theirs on first use. This walks the root entry's static imports and lists every top-level value
// import of a `node:` module; the few that remain belong to the HTTP transport and the file dead-letter queue, which
// a later change moves behind lazy imports too. Nothing new may join them.
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
  it('imports no Node module at load time beyond the known ones (the outboxes load theirs lazily)', () => {
    expect(nodeImports('src/index.ts')).toEqual([
      'src/publisher/file-dead-letter-queue.ts → node:fs/promises',
      'src/publisher/file-dead-letter-queue.ts → node:path',
      'src/transports/http-transport.ts → node:http',
      'src/transports/http-transport.ts → node:https',
      'src/transports/http/node-post.ts → node:http',
      'src/transports/http/node-post.ts → node:https',
    ]);
  });

  it('reaches the file outbox, whose Node modules are imported on first use', () => {
    const text = readFileSync(resolve(root, 'src/stores/file/node-apis.ts'), 'utf8');
    expect(text).toMatch(/import\('node:fs\/promises'\)/);
    expect(readFileSync(resolve(root, 'src/index.ts'), 'utf8')).toContain("from './stores/file/file-outbox.js'");
  });
});
