// The snippet checker itself: it must find every TypeScript block at the right line, and fail on a block that does
// not compile, naming its file and line. Without this, a checker that silently checks nothing would pass.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../setup/build.js';
import { checkSnippets, formatReport } from './check-snippets.js';
import { extractSnippets } from './extract-snippets.js';

const FENCE = '```';

describe('extractSnippets', () => {
  it('finds ts and typescript blocks with the line of their first line of code, and ignores other languages', () => {
    const md = [
      '# Title', // 1
      `${FENCE}ts`, // 2
      'const a = 1;', // 3
      FENCE, // 4
      `${FENCE}sh`, // 5
      'npm test', // 6
      FENCE, // 7
      `${FENCE}typescript`, // 8
      'const b = 2;', // 9
      'const c = 3;', // 10
      FENCE, // 11
    ].join('\n');
    const found = extractSnippets(md, 'x.md');
    expect(found.map((s) => [s.line, s.code, s.mode])).toEqual([
      [3, 'const a = 1;', 'check'],
      [9, 'const b = 2;\nconst c = 3;', 'check'],
    ]);
  });

  it('reads the nocheck flag, and refuses an unknown one', () => {
    const md = `${FENCE}ts nocheck\nsketch(\n${FENCE}\n\n${FENCE}ts\nconst a = 1;\n${FENCE}\n`;
    expect(extractSnippets(md, 'x.md').map((s) => s.mode)).toEqual(['nocheck', 'check']);
    expect(() => extractSnippets(`${FENCE}ts nochek\nx\n${FENCE}\n`, 'y.md')).toThrow(/y\.md:1: unknown code block/);
  });

  it('keeps a shorter fence or another fence character inside a block, and strips a list indent', () => {
    const md = [
      `~~~~ts`,
      '```',
      'const inner = 1;',
      '~~~',
      '~~~~',
      '',
      `   ${FENCE}ts`,
      '   const x = 1;',
      `   ${FENCE}`,
    ];
    const [outer, indented] = extractSnippets(md.join('\n'), 'x.md');
    expect(outer?.code).toBe('```\nconst inner = 1;\n~~~');
    expect(indented).toMatchObject({ line: 8, code: 'const x = 1;' });
  });
});

describe('checkSnippets against the built package', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it('passes a correct block, fails a broken one at its file and line, and counts skipped blocks', () => {
    const md = [
      '# Guide', // 1
      `${FENCE}ts`, // 2
      "import { createReceiver } from '@teei/event-relay';", // 3
      "const receiver = createReceiver({ secret: 'abc', signature: 'required' });", // 4
      'receiver.onError(() => {});', // 5
      FENCE, // 6
      `${FENCE}ts`, // 7
      "import { createPublisher } from '@teei/event-relay';", // 8
      '', // 9
      'const publisher = createPublisher({ concurrency: 4 }); // transport is missing', // 10
      FENCE, // 11
      `${FENCE}ts nocheck`, // 12
      'this is not TypeScript', // 13
      FENCE, // 14
    ].join('\n');
    const report = checkSnippets(extractSnippets(md, 'docs/guide.md'), { root: ROOT });
    expect(report.checked).toBe(2);
    expect(report.skipped.map((s) => s.line)).toEqual([13]);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ where: 'docs/guide.md:10', code: 2345 });
    expect(report.errors[0]?.message).toMatch(/transport/);
    const text = formatReport(report);
    expect(text).toMatch(/^docs\/guide\.md:10: TS2345: /);
  });

  it('resolves the subpaths through package.json exports and applies the strict options of tsconfig.json', () => {
    const md = [
      `${FENCE}ts`,
      "import { createReceiver } from '@teei/event-relay';",
      "import { expressReceiver } from '@teei/event-relay/express';",
      "const receiver = createReceiver({ secret: 'a-secret-of-thirty-two-or-more-bytes' });",
      "const label: { name?: string } = { name: ['x'].find(Boolean) };", // exactOptionalPropertyTypes refuses undefined
      'expressReceiver(receiver);',
      "const first: string = ['a'][0];", // noUncheckedIndexedAccess: string | undefined
      FENCE,
      `${FENCE}ts`,
      "import { nope } from '@teei/event-relay/express';",
      FENCE,
    ].join('\n');
    const report = checkSnippets(extractSnippets(md, 'strict.md'), { root: ROOT });
    expect(report.errors.map((e) => [e.where, e.code])).toEqual([
      ['strict.md:5', 2375],
      ['strict.md:7', 2322],
      ['strict.md:10', 2305],
    ]);
  });
});
