// Type tests: checked by `tsc --noEmit -p .` (expectTypeOf is a no-op at run time).
import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod3';
import type { BuddyEventType, BuddyMatchCreatedData, BuddyMatchEndedData } from '../../src/catalog/buddy.js';
import type { CatalogEventInput, CatalogValidation } from '../../src/catalog/catalog.js';
import type { EventDefinition } from '../../src/catalog/define-event.js';
import {
  buddyCatalog,
  type Catalog,
  type CatalogEnvelope,
  type CatalogEventData,
  type CatalogEventType,
  createCatalog,
  defineEvent,
  type EventEnvelope,
} from '../../src/index.js';

// What a publisher and a receiver declare, reduced to their signatures.
function publisherFor<C extends Catalog>(_catalog: C) {
  return {
    publish<T extends CatalogEventType<C>>(_type: T, _data: CatalogEventInput<C, T>): void {},
  };
}
function receiverFor<C extends Catalog>(_catalog: C) {
  return {
    on<T extends CatalogEventType<C>>(
      _type: T,
      _handler: (e: EventEnvelope<CatalogEventData<C, T>, T>) => void,
    ): void {},
  };
}

const ID = '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f';

describe('catalog type inference', () => {
  it('infers the Buddy event types', () => {
    expectTypeOf<CatalogEventType<typeof buddyCatalog>>().toEqualTypeOf<BuddyEventType>();
    expectTypeOf(buddyCatalog.types).toEqualTypeOf<readonly BuddyEventType[]>();
  });

  it('infers data (output) and input per type', () => {
    expectTypeOf<CatalogEventData<typeof buddyCatalog, 'buddy.match.created'>>().toEqualTypeOf<BuddyMatchCreatedData>();
    expectTypeOf<CatalogEventData<typeof buddyCatalog, 'buddy.match.ended'>['reason']>().toEqualTypeOf<
      BuddyMatchEndedData['reason']
    >();
    expectTypeOf<CatalogEventInput<typeof buddyCatalog, 'buddy.match.created'>['matchId']>().toEqualTypeOf<string>();
    expectTypeOf<CatalogEventData<typeof buddyCatalog, 'buddy.match.created' | 'buddy.match.ended'>>().toEqualTypeOf<
      BuddyMatchCreatedData | BuddyMatchEndedData
    >();
  });

  it('separates input from output when a schema transforms', () => {
    const catalog = createCatalog([
      defineEvent('acme.order.placed', z.object({ total: z.string().transform(Number), note: z.string().default('') })),
    ]);
    expectTypeOf<CatalogEventInput<typeof catalog, 'acme.order.placed'>>().toEqualTypeOf<{
      total: string;
      note?: string | undefined;
    }>();
    expectTypeOf<CatalogEventData<typeof catalog, 'acme.order.placed'>>().toEqualTypeOf<{
      total: number;
      note: string;
    }>();
  });

  it('types publish(type, data) and on(type, handler) from the catalog', () => {
    const publisher = publisherFor(buddyCatalog);
    publisher.publish('buddy.match.created', { matchId: ID, participantId: ID, buddyId: ID, matchedAt: '' });
    // @ts-expect-error unknown event type
    publisher.publish('buddy.match.deleted', {});
    // @ts-expect-error data of another event
    publisher.publish('buddy.match.created', { checkinId: ID, matchId: ID, checkinDate: '' });
    publisher.publish('buddy.match.ended', {
      matchId: ID,
      participantId: ID,
      buddyId: ID,
      endedAt: '',
      // @ts-expect-error wrong field type
      duration: '9',
      reason: 'other',
    });

    receiverFor(buddyCatalog).on('buddy.match.ended', (e) => {
      expectTypeOf(e.type).toEqualTypeOf<'buddy.match.ended'>();
      expectTypeOf(e.data.reason).toEqualTypeOf<BuddyMatchEndedData['reason']>();
      expectTypeOf(e.metadata.id).toEqualTypeOf<string>();
    });
  });

  it('works the same for zod 3 and valibot schemas', () => {
    const catalog = createCatalog([
      defineEvent('acme.zod3.done', z3.object({ n: z3.number() })),
      defineEvent('acme.valibot.done', v.object({ s: v.string() })),
    ]);
    expectTypeOf<CatalogEventType<typeof catalog>>().toEqualTypeOf<'acme.zod3.done' | 'acme.valibot.done'>();
    expectTypeOf<CatalogEventData<typeof catalog, 'acme.zod3.done'>>().toEqualTypeOf<{ n: number }>();
    expectTypeOf<CatalogEventData<typeof catalog, 'acme.valibot.done'>>().toEqualTypeOf<{ s: string }>();
  });

  it('narrows validate() output and has() by type', () => {
    const result = buddyCatalog.validate('buddy.match.created', {});
    expectTypeOf(result).toEqualTypeOf<
      CatalogValidation<BuddyMatchCreatedData> | Promise<CatalogValidation<BuddyMatchCreatedData>>
    >();
    const type: string = 'buddy.match.created';
    if (buddyCatalog.has(type)) expectTypeOf(type).toEqualTypeOf<BuddyEventType>();
  });

  it('distributes CatalogEnvelope over a union, so type narrows data', () => {
    const handle = (e: CatalogEnvelope<typeof buddyCatalog, 'buddy.match.created' | 'buddy.match.ended'>) => {
      if (e.type === 'buddy.match.ended') expectTypeOf(e.data).toEqualTypeOf<BuddyMatchEndedData>();
      else expectTypeOf(e.data).toEqualTypeOf<BuddyMatchCreatedData>();
    };
    expectTypeOf(handle).parameter(0).toHaveProperty('metadata');
  });

  it('keeps a typed catalog assignable to Catalog, and extension typed', () => {
    expectTypeOf(buddyCatalog).toExtend<Catalog>();
    const extended = createCatalog([
      ...buddyCatalog.definitions,
      defineEvent('billing.invoice.paid', z.object({ id: z.uuid() })),
    ]);
    expectTypeOf<CatalogEventType<typeof extended>>().toEqualTypeOf<BuddyEventType | 'billing.invoice.paid'>();
    expectTypeOf<CatalogEventData<typeof extended, 'buddy.match.created'>>().toEqualTypeOf<BuddyMatchCreatedData>();
    expectTypeOf<CatalogEventType<Catalog>>().toEqualTypeOf<string>();
    expectTypeOf<CatalogEventData<Catalog, string>>().toEqualTypeOf<unknown>();
    // An untyped catalog (a publisher or receiver without one) takes any type, with unknown data.
    expectTypeOf<CatalogEventData<Catalog, 'buddy.match.created'>>().toEqualTypeOf<unknown>();
    expectTypeOf<CatalogEventInput<Catalog, 'buddy.match.created'>>().toEqualTypeOf<unknown>();
    const untyped: Catalog = buddyCatalog;
    expectTypeOf(untyped.validate('buddy.match.created', {})).toEqualTypeOf<
      CatalogValidation | Promise<CatalogValidation>
    >();
  });

  it('keeps the literal type of defineEvent', () => {
    const def = defineEvent('acme.thing.done', z.object({ a: z.string() }));
    expectTypeOf(def.type).toEqualTypeOf<'acme.thing.done'>();
    expectTypeOf(def).toExtend<EventDefinition>();
  });
});
