/**
 * `npx tsx scripts/count-exports.ts [--json] [--names]`: how many names each subpath of package.json `exports`
 * offers, read from the built declarations (dist/, so run `npm run build` first) through the TypeScript compiler:
 * values (functions, classes, constants) and types (interfaces, type aliases). The size of the public surface, kept
 * small on purpose (the root at most about 80 names); `--names` lists them.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { ROOT, subpaths } from './subpaths.js';

/**
 * The names one subpath exports.
 *
 * @example `{ subpath: '@teei/event-relay/express', values: ['expressReceiver'], types: ['ExpressReceiverOptions'] }`
 */
export interface ExportCount {
  readonly subpath: string;
  /** Functions, classes, constants: what exists at runtime. */
  readonly values: readonly string[];
  /** Interfaces and type aliases only. */
  readonly types: readonly string[];
}

/**
 * Counts the exports of every subpath from its built `.d.ts`.
 *
 * @example `for (const c of countExports()) console.log(c.subpath, c.values.length + c.types.length)`
 */
export function countExports(root: string = ROOT): ExportCount[] {
  const entries = subpaths(root);
  const files = entries.map((entry) => join(root, entry.types));
  const missing = files.find((file) => !existsSync(file));
  if (missing !== undefined) throw new Error(`${missing} is missing: run \`npm run build\` first`);
  const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext });
  const checker = program.getTypeChecker();
  return entries.map((entry, index) => {
    const source = program.getSourceFile(files[index] as string);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`${entry.types}: no module`);
    const values: string[] = [];
    const types: string[] = [];
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.getName());
    }
    return { subpath: entry.subpath, values: values.sort(), types: types.sort() };
  });
}

function main(): void {
  const { values: flags } = parseArgs({ options: { json: { type: 'boolean' }, names: { type: 'boolean' } } });
  const counts = countExports();
  if (flags.json) {
    console.log(JSON.stringify(counts, null, 2));
    return;
  }
  const rows = counts.map((c) => [
    c.subpath,
    String(c.values.length + c.types.length),
    String(c.values.length),
    String(c.types.length),
  ]);
  rows.unshift(['subpath', 'names', 'values', 'types']);
  const total = counts.reduce((sum, c) => sum + c.values.length + c.types.length, 0);
  rows.push(['all subpaths', String(total), '', '']);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of rows)
    console.log(
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
    );
  if (flags.names) {
    for (const c of counts)
      console.log(`\n${c.subpath}\n  values: ${c.values.join(', ')}\n  types: ${c.types.join(', ')}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) main();
