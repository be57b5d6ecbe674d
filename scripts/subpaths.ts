/**
 * The package's public entry points, read from package.json `exports`: each subpath with the source file it is built
 * from. TypeDoc, docs/api.md and the docs snippet test all start from this list, so a subpath added to `exports` is
 * documented and checked without touching them.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * One public entry point.
 *
 * @example `{ subpath: '@teei/event-relay/express', source: 'src/adapters/express.ts', types: 'dist/adapters/express.d.ts' }`
 */
export interface Subpath {
  /** The import specifier, e.g. `@teei/event-relay/express`. */
  readonly subpath: string;
  /** The source entry, relative to the repository root. */
  readonly source: string;
  /** The built ESM declaration file, relative to the repository root. */
  readonly types: string;
}

interface PackageJson {
  name: string;
  exports: Record<string, string | { import?: { types?: string } }>;
}

/**
 * Every subpath of package.json `exports` that has types (not `./package.json`), in the order package.json lists them.
 *
 * @example `for (const { subpath, source } of subpaths()) console.log(subpath, source)`
 */
export function subpaths(root: string = ROOT): Subpath[] {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as PackageJson;
  const entries: Subpath[] = [];
  for (const [key, target] of Object.entries(pkg.exports)) {
    const types = typeof target === 'object' ? target.import?.types : undefined;
    if (types === undefined) continue;
    const built = types.replace(/^\.\//, '');
    // tsup writes `src/<path>.ts` to `dist/<path>.d.ts` (tsup.config.ts keeps the folders).
    const source = built.replace(/^dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
    entries.push({ subpath: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, source, types: built });
  }
  return entries;
}
