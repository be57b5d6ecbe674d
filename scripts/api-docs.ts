/**
 * `npm run docs:api`: the API reference. TypeDoc renders the TSDoc of every entry point in package.json `exports`
 * as HTML into docs/reference/ (not committed), each module named by its import specifier
 * (`@teei/event-relay/express` …) rather than its file; then docs/api.md is rewritten.
 *
 * Usage: `npm run docs:api [-- --out <dir>]`. Exits 1 when TypeDoc reports an error.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Application, type ProjectReflection } from 'typedoc';
import { renderApiMarkdown } from './api-md.js';
import { ROOT, subpaths } from './subpaths.js';

const USAGE = `Usage: npm run docs:api [-- --out <dir>]
  Writes the HTML API reference (TypeDoc) into <dir> (default docs/reference) and regenerates docs/api.md.`;

function renameModules(project: ProjectReflection): void {
  const bySource = new Map(subpaths().map((s) => [join(ROOT, s.source), s.subpath]));
  for (const module of project.children ?? []) {
    const file = module.sources?.[0]?.fullFileName;
    const subpath = file === undefined ? undefined : bySource.get(file);
    if (subpath !== undefined) module.name = subpath;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const out = values.out ?? join(ROOT, 'docs', 'reference');
  const app = await Application.bootstrapWithPlugins({
    entryPoints: subpaths().map((s) => join(ROOT, s.source)),
    tsconfig: join(ROOT, 'tsconfig.json'),
    name: '@teei/event-relay',
    readme: join(ROOT, 'README.md'),
    excludeInternal: true,
    excludePrivate: true,
    // Helper types the public ones are built from: documented where they are used.
    validation: { notExported: false, invalidLink: true, notDocumented: false },
    githubPages: false,
  });
  const project = await app.convert();
  if (project === undefined || app.logger.hasErrors()) return 1;
  renameModules(project);
  await app.generateDocs(project, out);
  if (app.logger.hasErrors()) return 1;
  writeFileSync(join(ROOT, 'docs', 'api.md'), renderApiMarkdown());
  console.log(`API reference: ${relative(process.cwd(), out) || '.'}/index.html; docs/api.md rewritten`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exitCode = 2;
  },
);
