/**
 * Deterministic JSON payloads of an exact size, and the 1 KB Buddy event used by the HTTP benchmarks.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { BuddyCheckinCompletedData } from '../../src/catalog/buddy.js';

/**
 * A compact JSON document of exactly `size` bytes (ASCII), shaped like a batch of records.
 *
 * @example
 * ```ts
 * jsonPayload(1024).length // 1024
 * ```
 */
export function jsonPayload(size: number): string {
  const items: { id: string; name: string; score: number; tags: string[]; active: boolean }[] = [];
  const doc = { kind: 'bench.payload', items, pad: '' };
  let i = 0;
  while (JSON.stringify(doc).length < size - 120) {
    items.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `record ${i}`,
      score: (i * 7919) % 1000,
      tags: ['alpha', 'beta'],
      active: i % 2 === 0,
    });
    i++;
  }
  doc.pad = 'x'.repeat(Math.max(0, size - JSON.stringify(doc).length));
  const text = JSON.stringify(doc);
  if (text.length !== size) throw new Error(`payload is ${text.length} bytes, wanted ${size}`);
  return text;
}

/** Where the delivery id goes in a Buddy body template (see {@link buddyEventTemplate}). */
export const ID_PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

/**
 * The nested `buddy.checkin.completed` envelope, padded through `data.notes` to exactly `size` bytes, with
 * {@link ID_PLACEHOLDER} as `metadata.id` so a pool can swap ids by string concatenation.
 *
 * @example
 * ```ts
 * const { before, after } = buddyEventTemplate(new Date(), 1024)
 * const body = before + randomUUID() + after
 * ```
 */
export function buddyEventTemplate(timestamp: Date, size = 1024): { before: string; after: string } {
  const event = {
    type: 'buddy.checkin.completed',
    data: {
      checkinId: randomUUID(),
      matchId: randomUUID(),
      checkinDate: timestamp.toISOString(),
      mood: 'good',
      notes: '',
    },
    metadata: { id: ID_PLACEHOLDER, version: 'v1', timestamp: timestamp.toISOString(), source: 'bench' },
  };
  event.data.notes = 'n'.repeat(Math.max(0, size - JSON.stringify(event).length));
  const text = JSON.stringify(event);
  if (text.length !== size) throw new Error(`Buddy event is ${text.length} bytes, wanted ${size}`);
  const at = text.indexOf(ID_PLACEHOLDER);
  return { before: text.slice(0, at), after: text.slice(at + ID_PLACEHOLDER.length) };
}

/**
 * `buddy.checkin.completed` data whose serialised envelope is about `size` bytes (for the publisher benchmarks).
 *
 * @example
 * ```ts
 * await publisher.enqueue('buddy.checkin.completed', buddyCheckinData(1024))
 * ```
 */
export function buddyCheckinData(size = 1024, notes?: string): BuddyCheckinCompletedData {
  // The envelope around data (type, metadata with uuid id, version, timestamp) costs about 150 bytes.
  const now = new Date().toISOString();
  const data: BuddyCheckinCompletedData = {
    checkinId: randomUUID(),
    matchId: randomUUID(),
    checkinDate: now,
    mood: 'good',
    notes: '',
  };
  data.notes = notes ?? 'n'.repeat(Math.max(0, size - 150 - JSON.stringify(data).length));
  return data;
}
