// docs/troubleshooting.md explains every code a user can meet: each error class's `code` (src/errors.ts), each
// receiver answer's `error` (src/receiver/responses.ts, and any other answer built in src/), and each failed
// attempt's `code` (every `new TransportError('…')` and the NATS transport's codes). A new code fails this test
// until the page says what it means and how to fix it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../setup/build.js';
import { readText } from './check-snippets.js';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [readFileSync(join(ROOT, dir, entry.name), 'utf8')]
        : [],
  );
}

function literals(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => m[1] ?? '');
}

/** The string-literal members of `export type <name> = | 'a' | 'b' …;`. */
function unionMembers(text: string, name: string): string[] {
  const body = new RegExp(`export type ${name} =([^;]*);`).exec(text)?.[1] ?? '';
  return literals(body, /'([a-z0-9_]+)'/g);
}

function documentedCodes(): string[] {
  const errors = readText(ROOT, 'src/errors.ts');
  const all = sources('src').join('\n');
  const codes = new Set([
    ...literals(errors, /super\('([a-z_]+)'/g),
    ...unionMembers(errors, 'EventValidationCode'),
    ...unionMembers(errors, 'SignatureVerificationCode'),
    ...unionMembers(readText(ROOT, 'src/receiver/responses.ts'), 'ReceiverErrorCode'),
    ...literals(all, /\{\s*error:\s*'([a-z_]+)'/g), // answers built outside responses.ts (adapters)
    ...literals(all, /new TransportError\(\s*'([a-z_]+)'/g),
    ...literals(all, /'(nats_[a-z_]+)'/g),
  ]);
  return [...codes].sort();
}

describe('docs/troubleshooting.md', () => {
  it('explains every error code of the library', () => {
    const page = readText(ROOT, 'docs/troubleshooting.md');
    const codes = documentedCodes();
    expect(codes).toEqual(expect.arrayContaining(['config_error', 'invalid_signature', 'not_found', 'network']));
    expect(codes.filter((code) => !page.includes(`\`${code}\``))).toEqual([]);
  });
});
