/**
 * Publishes Buddy events to a CSR receiver: typed, validated by the catalog, signed, retried, dead-lettered.
 * Start one of the receiver examples first, then: `npm run example:publisher`.
 *
 * Env: CSR_WEBHOOK_URL (default http://127.0.0.1:3000/webhooks/buddy-events), CSR_WEBHOOK_SECRET (default the
 * receiver examples' development secret), EVENT_COUNT (default 3).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { buddyCatalog, createPublisher, httpTransport, isEventRelayError } from '@teei/event-relay';
import { exitOnHelp } from './exit-on-help.js';

exitOnHelp(`Usage: npm run example:publisher

Publishes Buddy events to a CSR receiver: validated, signed, retried, dead-lettered.
Start one of the receiver examples first. Exits 1 when an event was dead-lettered.

Env:
  CSR_WEBHOOK_URL     the receiver (default http://127.0.0.1:3000/webhooks/buddy-events)
  CSR_WEBHOOK_SECRET  the shared secret (default the receiver examples' development secret)
  EVENT_COUNT         buddy.match.created events to publish (default 3)`);

const url = process.env.CSR_WEBHOOK_URL ?? 'http://127.0.0.1:3000/webhooks/buddy-events';
const secret = process.env.CSR_WEBHOOK_SECRET ?? 'dev-only-secret-change-me-in-production';
const count = Number(process.env.EVENT_COUNT ?? 3);

const publisher = createPublisher({
  transport: httpTransport({ url, secret }),
  catalog: buddyCatalog,
  // Short retries for a demo run; production keeps the defaults (5 retries over about 31 s).
  retry: { retries: 2, initialDelayMs: 200 },
  source: 'buddy-system-example',
});

let delivered = 0;
for (let i = 0; i < count; i++) {
  try {
    const receipt = await publisher.publish('buddy.match.created', {
      matchId: randomUUID(),
      participantId: randomUUID(),
      buddyId: randomUUID(),
      matchedAt: new Date().toISOString(),
      matchingCriteria: { language: 'uk', interests: ['hiking'] },
    });
    delivered++;
    console.log(
      `delivered buddy.match.created ${receipt.eventId}: ${receipt.attempts} attempt(s), HTTP ${receipt.status}`,
    );
  } catch (error) {
    // DeliveryError: retries ran out or the receiver refused the event; it waits in the dead-letter queue.
    if (!isEventRelayError(error, 'DeliveryError')) throw error;
    console.error(`not delivered: ${error.message}`);
  }
}
// enqueue() resolves once the event is stored in the outbox; flush() waits for the background deliveries.
await publisher.enqueue('buddy.checkin.completed', {
  checkinId: randomUUID(),
  matchId: randomUUID(),
  checkinDate: new Date().toISOString(),
  mood: 'good',
});
await publisher.flush();
const deadLettered = await publisher.deadLetter.size();
console.log(`done: ${delivered}/${count} published, ${deadLettered} dead-lettered`);
await publisher.close();
process.exitCode = deadLettered === 0 ? 0 : 1;
