// The docs hold together: every relative link of README.md and docs/*.md reaches a file (and, inside a page, a
// heading), every docs page is listed in docs/README.md, and the README links the index.
import { existsSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../setup/build.js';
import { documentationFiles, readText } from './check-snippets.js';

/** Pages other branches are writing (SPEC 11-14); linked before they land. Remove an entry once its page exists. */
const PAGES_FROM_OTHER_BRANCHES = new Set([
  'docs/receiving.md',
  'docs/durability.md',
  'docs/durability-postgres.md',
  'docs/idempotency.md',
  'docs/nats.md',
  'docs/cli.md',
]);

/** GitHub's heading anchor: lowercase, punctuation dropped (except `-` and `_`), spaces to `-`. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^ {0,3}(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) found.add(slug(heading[1] ?? ''));
  }
  return found;
}

function links(markdown: string): string[] {
  const withoutCode = markdown.replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}

describe('documentation links', () => {
  const files = documentationFiles(ROOT);

  it.each(files)('%s: every relative link reaches a file and heading', (file) => {
    const broken: string[] = [];
    for (const target of links(readText(ROOT, file))) {
      if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
      const [path = '', anchor] = target.split('#');
      const resolved = path === '' ? file : normalize(join(dirname(file), path)).replace(/\/$/, '');
      if (PAGES_FROM_OTHER_BRANCHES.has(resolved) && !existsSync(join(ROOT, resolved))) continue;
      if (!existsSync(join(ROOT, resolved))) broken.push(`${target} (no ${resolved})`);
      else if (anchor && resolved.endsWith('.md') && !anchors(readText(ROOT, resolved)).has(anchor)) {
        broken.push(`${target} (no heading #${anchor} in ${resolved})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('lists every docs page in docs/README.md, and the README links the index', () => {
    const index = new Set(
      links(readText(ROOT, 'docs/README.md')).map((t) => normalize(join('docs', t.split('#')[0] ?? ''))),
    );
    const pages = files.filter((f) => f.startsWith('docs/') && f !== 'docs/README.md');
    expect(pages.filter((page) => !index.has(page))).toEqual([]);
    for (const page of PAGES_FROM_OTHER_BRANCHES) expect(index.has(page), page).toBe(true);
    expect(links(readText(ROOT, 'README.md'))).toContain('docs/README.md');
    expect(relative(ROOT, join(ROOT, 'docs/README.md'))).toBe('docs/README.md');
  });

  it('builds anchors as GitHub does', () => {
    expect(slug('Key encodings and `whsec_`')).toBe('key-encodings-and-whsec_');
    expect(slug('Asymmetric signatures (Standard Webhooks `v1a`, ed25519)')).toBe(
      'asymmetric-signatures-standard-webhooks-v1a-ed25519',
    );
    expect(slug('Exposing `/metrics`')).toBe('exposing-metrics');
  });
});
