// The root entry stays small enough to hold in one's head (issue 15: at most about 80 names), and every name any
// subpath exports is documented in docs/api.md. Counted from the built declarations, as a user's editor sees them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countExports, type ExportCount } from '../scripts/count-exports.js';
import { ensureBuilt, ROOT } from './setup/build.js';

const ROOT_LIMIT = 85;

describe('the public surface', () => {
  let counts: ExportCount[];
  beforeAll(async () => {
    await ensureBuilt();
    counts = countExports(ROOT);
  }, 300_000);

  it(`keeps the root entry at most ${ROOT_LIMIT} names`, () => {
    const root = counts.find((c) => c.subpath === '@teei/event-relay');
    expect(root).toBeDefined();
    const names = [...(root?.values ?? []), ...(root?.types ?? [])];
    expect(names.length).toBeGreaterThan(40);
    expect(names.length, names.join(', ')).toBeLessThanOrEqual(ROOT_LIMIT);
    // Internals and aliases that once leaked into the root.
    for (const gone of ['normalizeRetryOptions', 'parseRetryAfter', 'readHeader', 'BodyShape', 'SignerOptions']) {
      expect(names).not.toContain(gone);
    }
  });

  it('documents every export of every subpath in docs/api.md', () => {
    const api = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
    const undocumented = counts.flatMap((c) =>
      [...c.values, ...c.types]
        .filter((name) => !new RegExp(`^- \`${name}\`: \\S`, 'm').test(api))
        .map((name) => `${c.subpath}: ${name}`),
    );
    expect(undocumented).toEqual([]);
  });
});
