// Every ```ts block of README.md and docs/*.md compiles against the BUILT package, with the repository's strict
// compiler options, as a user's project would compile it. A failure names the file and line of the block.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../setup/build.js';
import { checkSnippets, documentationFiles, formatReport, readText, type SnippetReport } from './check-snippets.js';
import { extractSnippets, type Snippet } from './extract-snippets.js';

/** Blocks marked `ts nocheck` (sketches, interface excerpts): counted, and kept few. */
const MAX_SKIPPED = 5;

describe('documentation snippets', () => {
  let snippets: Snippet[] = [];
  let report: SnippetReport;

  beforeAll(async () => {
    await ensureBuilt();
    snippets = documentationFiles(ROOT).flatMap((file) => extractSnippets(readText(ROOT, file), file));
    report = checkSnippets(snippets, { root: ROOT });
    const where = (list: readonly Snippet[]) => list.map((s) => `${s.file}:${s.line}`).join(', ') || 'none';
    console.log(
      `[snippets] ${snippets.length} TypeScript blocks in ${documentationFiles(ROOT).length} files: ` +
        `${report.checked} compiled, ${report.skipped.length} marked nocheck (${where(report.skipped)})`,
    );
  }, 240_000);

  it('finds the blocks of the README and of every docs page', () => {
    expect(snippets.filter((s) => s.file === 'README.md').length).toBeGreaterThanOrEqual(5);
    expect(report.checked).toBeGreaterThan(20);
  });

  it('compiles every block against dist/ (errors as file:line)', () => {
    expect(report.errors.length, `compile errors:\n${formatReport(report)}\n`).toBe(0);
  });

  it(`skips at most ${MAX_SKIPPED} blocks`, () => {
    expect(report.skipped.length).toBeLessThanOrEqual(MAX_SKIPPED);
  });
});
