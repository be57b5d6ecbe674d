/**
 * The eight events the Buddy System publishes to the CSR Platform.
 *
 * @module
 */
import { BuddyCheckinCompletedSchema } from './buddy/checkin-completed.js';
import { BuddyEventAttendedSchema } from './buddy/event-attended.js';
import { BuddyEventLoggedSchema } from './buddy/event-logged.js';
import { BuddyFeedbackSubmittedSchema } from './buddy/feedback-submitted.js';
import { BuddyMatchCreatedSchema } from './buddy/match-created.js';
import { BuddyMatchEndedSchema } from './buddy/match-ended.js';
import { BuddyMilestoneReachedSchema } from './buddy/milestone-reached.js';
import { BuddySkillShareCompletedSchema } from './buddy/skill-share-completed.js';
import { createCatalog } from './create-catalog.js';
import { defineEvent } from './define-event.js';

/**
 * The Buddy event types, in the platform's order.
 *
 * @example
 * ```ts
 * receiver.on([...BUDDY_EVENT_TYPES], (e) => store(e))
 * ```
 */
export const BUDDY_EVENT_TYPES = [
  'buddy.match.created',
  'buddy.match.ended',
  'buddy.event.logged',
  'buddy.event.attended',
  'buddy.skill_share.completed',
  'buddy.checkin.completed',
  'buddy.feedback.submitted',
  'buddy.milestone.reached',
] as const;

/**
 * One of the Buddy event types.
 *
 * @example
 * ```ts
 * const type: BuddyEventType = 'buddy.match.created'
 * ```
 */
export type BuddyEventType = (typeof BUDDY_EVENT_TYPES)[number];

/**
 * The platform's eight Buddy events (zod 4 schemas; unknown keys in `data` are stripped).
 *
 * @example
 * ```ts
 * const publisher = createPublisher({ transport, catalog: buddyCatalog })
 * await publisher.publish('buddy.match.created', { matchId, participantId, buddyId, matchedAt })
 * ```
 */
export const buddyCatalog = createCatalog([
  defineEvent('buddy.match.created', BuddyMatchCreatedSchema),
  defineEvent('buddy.match.ended', BuddyMatchEndedSchema),
  defineEvent('buddy.event.logged', BuddyEventLoggedSchema),
  defineEvent('buddy.event.attended', BuddyEventAttendedSchema),
  defineEvent('buddy.skill_share.completed', BuddySkillShareCompletedSchema),
  defineEvent('buddy.checkin.completed', BuddyCheckinCompletedSchema),
  defineEvent('buddy.feedback.submitted', BuddyFeedbackSubmittedSchema),
  defineEvent('buddy.milestone.reached', BuddyMilestoneReachedSchema),
]);

/**
 * The type of {@link buddyCatalog}, for options and generics.
 *
 * @example
 * ```ts
 * function handle(e: CatalogEnvelope<BuddyCatalog, 'buddy.match.created'>) { e.data.matchId }
 * ```
 */
export type BuddyCatalog = typeof buddyCatalog;
