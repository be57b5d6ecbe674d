/**
 * `@teei/event-relay/buddy`: the zod schema and the data type of each of the platform's eight Buddy events, and the
 * list of their types. `buddyCatalog` itself lives in the root entry; import from here to validate or type one
 * event's data on its own.
 *
 * @module
 */
export { type BuddyCheckinCompletedData, BuddyCheckinCompletedSchema } from './buddy/checkin-completed.js';
export { type BuddyEventAttendedData, BuddyEventAttendedSchema } from './buddy/event-attended.js';
export { type BuddyEventLoggedData, BuddyEventLoggedSchema } from './buddy/event-logged.js';
export { type BuddyFeedbackSubmittedData, BuddyFeedbackSubmittedSchema } from './buddy/feedback-submitted.js';
export { type BuddyMatchCreatedData, BuddyMatchCreatedSchema } from './buddy/match-created.js';
export { type BuddyMatchEndedData, BuddyMatchEndedSchema } from './buddy/match-ended.js';
export { type BuddyMilestoneReachedData, BuddyMilestoneReachedSchema } from './buddy/milestone-reached.js';
export { type BuddySkillShareCompletedData, BuddySkillShareCompletedSchema } from './buddy/skill-share-completed.js';
export { BUDDY_EVENT_TYPES, type BuddyCatalog, type BuddyEventType } from './buddy-catalog.js';
