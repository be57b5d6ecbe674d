// docs/api.md is generated from the entry points' TSDoc: it must match what `npm run docs:api` renders now, so an
// export added, removed or re-documented shows up there.
import { describe, expect, it } from 'vitest';
import { renderApiMarkdown } from '../../scripts/api-md.js';
import { subpaths } from '../../scripts/subpaths.js';
import { ROOT } from '../setup/build.js';
import { readText } from './check-snippets.js';

describe('docs/api.md', () => {
  const rendered = renderApiMarkdown(ROOT);

  it('has a section for every subpath of package.json exports, listing its exports', () => {
    for (const { subpath } of subpaths(ROOT)) expect(rendered).toContain(`## \`${subpath}\``);
    expect(rendered).toMatch(/^- `createPublisher`: /m);
    expect(rendered).toMatch(/^- `expressReceiver`: /m);
    expect(rendered).toMatch(/^- `prometheusMetrics`: /m);
  });

  it('is current: regenerate it with `npm run docs:api` when this fails', () => {
    expect(readText(ROOT, 'docs/api.md') === rendered, 'docs/api.md is out of date: run `npm run docs:api`').toBe(true);
  });
});
