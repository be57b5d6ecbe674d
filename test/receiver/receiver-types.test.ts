// Type tests: the catalog types reach the handlers. `tsc --noEmit` checks them; the runtime part only registers.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { BuddyMatchCreatedData, BuddyMatchEndedData } from '../../src/catalog/buddy.js';
import { buddyCatalog, createReceiver, type HandlerContext } from '../../src/index.js';
import { adapterView } from '../../src/receiver/adapter-view.js';
import type { UncheckedEvent } from '../../src/receiver/receiver.js';

describe('receiver types', () => {
  it('types on() handlers from the catalog', () => {
    const receiver = createReceiver({ secret: 's', catalog: buddyCatalog });
    receiver.on('buddy.match.created', (event, ctx) => {
      expectTypeOf(event.type).toEqualTypeOf<'buddy.match.created'>();
      expectTypeOf(event.data).toEqualTypeOf<BuddyMatchCreatedData>();
      expectTypeOf(event.metadata.id).toBeString();
      expectTypeOf(ctx).toEqualTypeOf<HandlerContext>();
    });
    receiver.on(['buddy.match.created', 'buddy.match.ended'], (event) => {
      if (event.type === 'buddy.match.ended') expectTypeOf(event.data).toEqualTypeOf<BuddyMatchEndedData>();
      else expectTypeOf(event.data).toEqualTypeOf<BuddyMatchCreatedData>();
    });
    // @ts-expect-error: not a type of the catalog
    receiver.on('buddy.match.exploded', () => {});
    receiver.onAny((event) => {
      expectTypeOf(event.type).toEqualTypeOf<(typeof buddyCatalog.types)[number]>();
    });
  });

  it("widens onAny to unchecked events when unknownTypes is 'accept'", () => {
    const receiver = createReceiver({ secret: 's', catalog: buddyCatalog, unknownTypes: 'accept' });
    receiver.onAny((event) => {
      expectTypeOf(event.type).toBeString();
      expectTypeOf<UncheckedEvent>().toExtend<typeof event>();
    });
  });

  it('takes any type, with unchecked data, without a catalog', () => {
    const receiver = createReceiver({ secret: 's' });
    receiver.on('billing.invoice.paid', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'billing.invoice.paid'>();
      expectTypeOf(event.data).toEqualTypeOf<Record<string, unknown>>();
    });
  });
});

describe('the public Receiver type', () => {
  it('shows only what a user calls: the adapter hooks are behind the adapter view', () => {
    const receiver = createReceiver({ secret: 's' });
    expectTypeOf<keyof typeof receiver>().toEqualTypeOf<
      'on' | 'onAny' | 'onError' | 'off' | 'handle' | 'fetch' | 'handleMessage' | 'health'
    >();
    expect(Object.keys(receiver)).not.toContain('precheck');
    const view = adapterView('test', receiver);
    expect(typeof view.precheck).toBe('function');
    expect(view.maxBodyBytes).toBe(1024 * 1024);
    expect(() => adapterView('nodeReceiver', { handle() {} })).toThrow(
      new TypeError('nodeReceiver: receiver must come from createReceiver()'),
    );
  });
});
