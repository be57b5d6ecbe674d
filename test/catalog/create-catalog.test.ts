import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod3';
import type { CatalogValidation } from '../../src/catalog/catalog.js';
import type { StandardSchemaV1 } from '../../src/catalog/standard-schema.js';
import { buddyCatalog, createCatalog, defineEvent, isEventRelayError } from '../../src/index.js';

const ID = '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f';

function syncResult(result: CatalogValidation | Promise<CatalogValidation>): CatalogValidation {
  if (result instanceof Promise) throw new Error('expected a synchronous validation');
  return result;
}

// The same event, in three schema libraries: the catalog must treat them alike.
const libraries = [
  {
    name: 'zod 4',
    schema: z.object({ invoiceId: z.uuid(), amountCents: z.int().positive(), note: z.string().optional() }),
  },
  {
    name: 'zod 3',
    schema: z3.object({
      invoiceId: z3.string().uuid(),
      amountCents: z3.number().int().positive(),
      note: z3.string().optional(),
    }),
  },
  {
    name: 'valibot',
    schema: v.object({
      invoiceId: v.pipe(v.string(), v.uuid()),
      amountCents: v.pipe(v.number(), v.integer(), v.minValue(1)),
      note: v.optional(v.string()),
    }),
  },
];

describe.each(libraries)('defineEvent with a $name schema', ({ schema }) => {
  const catalog = createCatalog([defineEvent('billing.invoice.paid', schema)]);

  it('validates synchronously and returns the output, unknown keys stripped', () => {
    const result = syncResult(
      catalog.validate('billing.invoice.paid', { invoiceId: ID, amountCents: 1200, extra: true }),
    );
    expect(result).toEqual({ success: true, data: { invoiceId: ID, amountCents: 1200 } });
  });

  it('names the field path of each issue under data', () => {
    const result = syncResult(catalog.validate('billing.invoice.paid', { invoiceId: 'nope', amountCents: 0 }));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('invalid_data');
    expect(result.error.eventType).toBe('billing.invoice.paid');
    expect(result.error.issues.map((i) => i.path)).toEqual([
      ['data', 'invoiceId'],
      ['data', 'amountCents'],
    ]);
    for (const issue of result.error.issues) expect(issue.message).not.toBe('');
    expect(result.error.message).toContain('data.invoiceId');
  });
});

describe('createCatalog', () => {
  const paid = defineEvent('billing.invoice.paid', z.object({ invoiceId: z.uuid() }));

  it('knows its types, in definition order', () => {
    const voided = defineEvent('billing.invoice.voided', z.object({ invoiceId: z.uuid() }));
    const catalog = createCatalog([voided, paid]);
    expect(catalog.types).toEqual(['billing.invoice.voided', 'billing.invoice.paid']);
    expect(catalog.has('billing.invoice.paid')).toBe(true);
    expect(catalog.has('billing.invoice.refunded')).toBe(false);
    expect(catalog.has('__proto__')).toBe(false);
  });

  it('answers an unknown type with unknown_type, naming it', () => {
    const result = syncResult(createCatalog([paid]).validate('billing.invoice.refunded', {}));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(isEventRelayError(result.error, 'EventValidationError')).toBe(true);
    expect(result.error.code).toBe('unknown_type');
    expect(result.error.eventType).toBe('billing.invoice.refunded');
    expect(result.error.issues).toEqual([{ path: ['type'], message: 'Unknown event type' }]);
    expect(result.error.message).toContain('billing.invoice.refunded');
  });

  it('rejects a type defined twice, naming it', () => {
    const again = defineEvent('billing.invoice.paid', z.object({}));
    expect(() => createCatalog([paid, again])).toThrow(TypeError);
    expect(() => createCatalog([paid, again])).toThrow('"billing.invoice.paid"');
  });

  it('rejects an entry that is not a definition', () => {
    const bogus = { type: 'billing.invoice.paid', schema: {} } as never;
    expect(() => createCatalog([paid, bogus])).toThrow(/definitions\[1\]/);
    expect(() => createCatalog('nope' as never)).toThrow(TypeError);
  });

  it('extends another catalog through its definitions', () => {
    const catalog = createCatalog([...buddyCatalog.definitions, paid]);
    expect(catalog.types).toEqual([...buddyCatalog.types, 'billing.invoice.paid']);
    expect(syncResult(catalog.validate('billing.invoice.paid', { invoiceId: ID })).success).toBe(true);
    expect(syncResult(catalog.validate('buddy.match.created', {})).success).toBe(false);
  });

  it('returns a promise only for a schema that answers asynchronously', async () => {
    const schema = z.object({ invoiceId: z.uuid() }).refine(async (d) => d.invoiceId !== ID, 'invoice already paid');
    const catalog = createCatalog([defineEvent('billing.invoice.paid', schema)]);
    const pending = catalog.validate('billing.invoice.paid', { invoiceId: ID });
    expect(pending).toBeInstanceOf(Promise);
    const result = await pending;
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues).toEqual([{ path: ['data'], message: 'invoice already paid' }]);
    const other = '1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80';
    await expect(catalog.validate('billing.invoice.paid', { invoiceId: other })).resolves.toEqual({
      success: true,
      data: { invoiceId: other },
    });
  });

  it('reads path segments given as objects or symbols', () => {
    const tag = Symbol('tag');
    const handmade: StandardSchemaV1<unknown, never> = {
      '~standard': {
        version: 1,
        vendor: 'handmade',
        validate: () => ({ issues: [{ message: 'bad', path: [{ key: 'items' }, 0, tag] }, { message: 'root' }] }),
      },
    };
    const result = syncResult(createCatalog([defineEvent('acme.thing.done', handmade)]).validate('acme.thing.done', 1));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues).toEqual([
      { path: ['data', 'items', 0, 'Symbol(tag)'], message: 'bad' },
      { path: ['data'], message: 'root' },
    ]);
    expect(result.error.message).toContain('1 more');
  });
});

describe('defineEvent', () => {
  it.each([
    'Buddy.Match.Created',
    'buddy.match',
    'buddy',
    'buddy..created',
    'buddy.match.created.',
    '1buddy.match.created',
    ' buddy.match.created',
    '',
  ])('rejects the type %j with a TypeError naming it', (type) => {
    expect(() => defineEvent(type, z.object({}))).toThrow(TypeError);
    expect(() => defineEvent(type, z.object({}))).toThrow(JSON.stringify(type));
  });

  it('accepts three or more lowercase tokens with _ and -', () => {
    for (const type of ['buddy.skill_share.completed', 'a.b.c', 'teei.buddy-v2.match.created']) {
      expect(defineEvent(type, z.object({})).type).toBe(type);
    }
  });

  it('rejects a schema that is not a Standard Schema v1', () => {
    expect(() => defineEvent('acme.thing.done', {} as never)).toThrow(/Standard Schema v1/);
    expect(() => defineEvent('acme.thing.done', null as never)).toThrow(TypeError);
    const v2 = { '~standard': { version: 2, vendor: 'x', validate: () => ({ value: 1 }) } };
    expect(() => defineEvent('acme.thing.done', v2 as never)).toThrow(/acme\.thing\.done/);
  });

  it('accepts a function-shaped schema (as arktype builds them)', () => {
    const callable = Object.assign(() => undefined, {
      '~standard': { version: 1 as const, vendor: 'fn', validate: (value: unknown) => ({ value }) },
    });
    const catalog = createCatalog([defineEvent('acme.thing.done', callable)]);
    expect(catalog.validate('acme.thing.done', { a: 1 })).toEqual({ success: true, data: { a: 1 } });
  });
});
