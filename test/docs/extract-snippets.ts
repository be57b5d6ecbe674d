// Finds the TypeScript code blocks of a Markdown file, with the line each starts on, so a compile error is reported
// as `docs/publishing.md:42`. CommonMark fences: three or more backticks or tildes, indented at most three spaces,
// closed by a fence of the same character at least as long.

/**
 * How a block is checked, from the words after the language in its info string:
 * - `check` (plain ```ts): must compile against the built package;
 * - `nocheck` (```ts nocheck): deliberately not compilable (a sketch, an interface excerpt), counted and skipped.
 */
export type SnippetMode = 'check' | 'nocheck';

/** One TypeScript code block. */
export interface Snippet {
  /** The Markdown file, as given (e.g. `README.md`). */
  readonly file: string;
  /** The 1-based line of the block's first line of code. */
  readonly line: number;
  readonly mode: SnippetMode;
  readonly code: string;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)(.*)$/;
const TS_LANGUAGES = new Set(['ts', 'typescript']);

/**
 * The ```ts and ```typescript blocks of `markdown`, in order.
 *
 * @example `extractSnippets(readFileSync('README.md', 'utf8'), 'README.md')`
 */
export function extractSnippets(markdown: string, file: string): Snippet[] {
  const lines = markdown.split(/\r?\n/);
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', language = '', rest = ''] = open;
    // A backtick fence's info string may not contain a backtick (CommonMark): then it is inline code, not a fence.
    if (fence.startsWith('`') && rest.includes('`')) continue;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j] ?? ''); j++) {
      const line = lines[j] ?? '';
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    if (TS_LANGUAGES.has(language.toLowerCase())) {
      snippets.push({ file, line: i + 2, mode: modeOf(rest, file, i + 1), code: body.join('\n') });
    }
    i = j;
  }
  return snippets;
}

function modeOf(info: string, file: string, line: number): SnippetMode {
  const words = info.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'check';
  if (words.length === 1 && words[0] === 'nocheck') return 'nocheck';
  throw new Error(`${file}:${line}: unknown code block flags "${info.trim()}" (use \`ts\` or \`ts nocheck\`)`);
}
