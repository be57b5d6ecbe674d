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
  /** Errors in the compiled blocks. */
  readonly errors: readonly SnippetError[];
}

/** Options of {@link checkSnippets}. */
export interface CheckSnippetsOptions {
  /** The repository: its package.json, dist/, node_modules and tsconfig.json are used. */
  readonly root: string;
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

/** Compiles `files` (name → snippet); errors by file name, '' for other files. */
function compile(options: ts.CompilerOptions, files: Map<string, Snippet>): Map<string, ts.Diagnostic[]> {
  const program = ts.createProgram({ rootNames: [...files.keys()], options });
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
 * Compiles every block not marked `nocheck` against dist/.
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
    const result = compile(compilerOpts, files);
    for (const diagnostic of result.get('') ?? []) errors.push(place(diagnostic, undefined));
    for (const [path, snippet] of files) errors.push(...(result.get(path) ?? []).map((d) => place(d, snippet)));
    return {
      checked: [...files.values()].filter((s) => s.mode === 'check').length,
      skipped: snippets.filter((s) => s.mode === 'nocheck'),
      errors,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The report as lines a reader can act on: each error at its file and line.
 *
 * @example `expect(report.errors, formatReport(report)).toEqual([])`
 */
export function formatReport(report: SnippetReport): string {
  return report.errors.map((e) => `${e.where}: TS${e.code}: ${e.message.replaceAll('\n', '\n    ')}`).join('\n');
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
