// Type-checks documentation snippets the way a user's project would compile them: each block is a module of a
// throwaway project under .tmp/, where `@teei/event-relay` (and every subpath) resolves through package.json
// `exports` to the BUILT declarations in dist/, and everything else (express, hono, zod, @types/node …) to the
// repository's node_modules. The compiler options are the repository's own (strict, exactOptionalPropertyTypes,
// noUncheckedIndexedAccess …). One program for all blocks keeps it to one compiler start.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { Snippet } from './extract-snippets.js';

/** A compile error, placed in the Markdown file. */
export interface SnippetError {
  /** `README.md:57`, or the declaration file at fault when the error is not in a block. */
  readonly where: string;
  readonly code: number;
  readonly message: string;
}

/** What {@link checkSnippets} found. */
export interface SnippetReport {
  /** Blocks compiled (mode `check`). */
  readonly checked: number;
  /** Blocks marked `nocheck`. */
  readonly skipped: readonly Snippet[];
  /** Blocks marked `pending` that fail today, as expected until their API lands. */
  readonly pending: readonly Snippet[];
  /** Errors in `check` blocks, and in `pending` blocks compiled against the shim. */
  readonly errors: readonly SnippetError[];
  /** Blocks marked `pending` that compile against the real package: their marker must go. */
  readonly pendingNowCompiling: readonly Snippet[];
}

/** Options of {@link checkSnippets}. */
export interface CheckSnippetsOptions {
  /** The repository: its package.json, dist/, node_modules and tsconfig.json are used. */
  readonly root: string;
  /**
   * The text of a declaration file describing the API that `pending` blocks are written against (module
   * augmentations), so those blocks are checked for everything else today. @default undefined (not checked)
   */
  readonly pendingShim?: string;
}

function compilerOptions(root: string, dir: string): ts.CompilerOptions {
  const read = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const { paths: _paths, ...json } = (read.config as { compilerOptions: Record<string, unknown> }).compilerOptions;
  const converted = ts.convertCompilerOptionsFromJson(json, dir);
  if (converted.errors.length > 0) throw new Error(ts.formatDiagnostics(converted.errors, formatHost(dir)));
  return { ...converted.options, noEmit: true };
}

function formatHost(dir: string): ts.FormatDiagnosticsHost {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' };
}

/** A throwaway project whose node_modules/@teei/event-relay is the built package (package.json + dist/). */
function makeProject(root: string): string {
  const dir = join(root, '.tmp', `snippets-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const pkg = join(dir, 'node_modules', '@teei', 'event-relay');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(root, 'dist'), join(pkg, 'dist'), 'dir');
  return dir;
}

function fileName(snippet: Snippet, index: number): string {
  return `${snippet.file.replace(/[^A-Za-z0-9]+/g, '-')}-L${snippet.line}-${index}.ts`;
}

/** Compiles `files` (name → snippet) plus `extra` declaration files; errors by file name, '' for other files. */
function compile(
  options: ts.CompilerOptions,
  files: Map<string, Snippet>,
  extra: string[],
): Map<string, ts.Diagnostic[]> {
  const program = ts.createProgram({ rootNames: [...files.keys(), ...extra], options });
  const byFile = new Map<string, ts.Diagnostic[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const name = diagnostic.file?.fileName;
    const key = name !== undefined && files.has(name) ? name : '';
    byFile.set(key, [...(byFile.get(key) ?? []), diagnostic]);
  }
  return byFile;
}

function place(diagnostic: ts.Diagnostic, snippet: Snippet | undefined): SnippetError {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (snippet === undefined || diagnostic.file === undefined || diagnostic.start === undefined) {
    const where = diagnostic.file?.fileName ?? '(compiler options)';
    return { where, code: diagnostic.code, message };
  }
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { where: `${snippet.file}:${snippet.line + line}`, code: diagnostic.code, message };
}

/**
 * Compiles every `check` block (and every `pending` one, to see whether it still fails) against dist/.
 *
 * @example `const report = checkSnippets(extractSnippets(readFileSync('README.md', 'utf8'), 'README.md'), { root })`
 */
export function checkSnippets(snippets: readonly Snippet[], options: CheckSnippetsOptions): SnippetReport {
  const dir = makeProject(options.root);
  try {
    const compilerOpts = compilerOptions(options.root, dir);
    const files = new Map<string, Snippet>();
    snippets.forEach((snippet, index) => {
      if (snippet.mode === 'nocheck') return;
      const path = join(dir, fileName(snippet, index));
      // `export {}` makes every block a module: top-level await works and names never clash between blocks.
      writeFileSync(path, `${snippet.code}\nexport {};\n`);
      files.set(path, snippet);
    });
    const errors: SnippetError[] = [];
    const pending: Snippet[] = [];
    const pendingNowCompiling: Snippet[] = [];
    const result = compile(compilerOpts, files, []);
    for (const diagnostic of result.get('') ?? []) errors.push(place(diagnostic, undefined));
    const pendingFiles = new Map<string, Snippet>();
    for (const [path, snippet] of files) {
      const found = result.get(path) ?? [];
      if (snippet.mode === 'check') errors.push(...found.map((d) => place(d, snippet)));
      else if (found.length === 0) pendingNowCompiling.push(snippet);
      else {
        pending.push(snippet);
        pendingFiles.set(path, snippet);
      }
    }
    if (options.pendingShim !== undefined && pendingFiles.size > 0) {
      const shim = join(dir, 'pending-api.d.ts');
      writeFileSync(shim, options.pendingShim);
      const shimmed = compile(compilerOpts, pendingFiles, [shim]);
      for (const [path, found] of shimmed) {
        errors.push(...found.map((d) => place(d, pendingFiles.get(path))));
      }
    }
    return {
      checked: [...files.values()].filter((s) => s.mode === 'check').length,
      skipped: snippets.filter((s) => s.mode === 'nocheck'),
      pending,
      errors,
      pendingNowCompiling,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The report as lines a reader can act on: each error at its file and line, then what to do about pending blocks.
 *
 * @example `expect(report.errors, formatReport(report)).toEqual([])`
 */
export function formatReport(report: SnippetReport): string {
  const lines = report.errors.map((e) => `${e.where}: TS${e.code}: ${e.message.replaceAll('\n', '\n    ')}`);
  for (const s of report.pendingNowCompiling) {
    lines.push(`${s.file}:${s.line}: this \`ts pending\` block compiles now: change its fence to plain \`ts\``);
  }
  return lines.join('\n');
}

/** Reads a file relative to `root`: a small helper for the tests. */
export function readText(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** The documentation whose snippets are checked: README.md and every docs/*.md, relative to `root`. */
export function documentationFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}
