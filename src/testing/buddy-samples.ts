/**
 * A valid `data` sample of each Buddy event, for tests, demos and benchmarks.
 *
 * @module
 */
import { BUDDY_EVENT_TYPES, type BuddyEventType, type buddyCatalog } from '../catalog/buddy-catalog.js';
import type { CatalogEventInput } from '../catalog/catalog.js';

type Samples = { [T in BuddyEventType]: CatalogEventInput<typeof buddyCatalog, T> };

const AT = '2026-01-15T10:30:00.000Z';
const MATCH = '8f14e45f-ceea-4e7a-9d1b-2c8f6a3b5d71';
const PARTICIPANT = '3c59dc04-8e1a-4f6b-a2d3-7e9f0b1c2d3e';
const BUDDY = 'a87ff679-a2f3-4e7c-8b5d-9c0e1f2a3b4c';

const SAMPLES: Samples = {
  'buddy.match.created': {
    matchId: MATCH,
    participantId: PARTICIPANT,
    buddyId: BUDDY,
    matchedAt: AT,
    matchingCriteria: { language: 'de', interests: ['hiking', 'cooking'], location: 'Berlin' },
  },
  'buddy.match.ended': {
    matchId: MATCH,
    participantId: PARTICIPANT,
    buddyId: BUDDY,
    endedAt: AT,
    duration: 90,
    reason: 'completed',
    sessionsCompleted: 12,
    feedback: { participantSatisfaction: 0.9, buddySatisfaction: 0.8 },
  },
  'buddy.event.logged': {
    eventId: 'e4da3b7f-bbce-4345-9d77-7a6b5c4d3e2f',
    matchId: MATCH,
    eventType: 'coffee',
    eventDate: AT,
    attendees: [PARTICIPANT, BUDDY],
  },
  'buddy.event.attended': {
    eventId: '1679091c-5a88-4faf-8b3e-2f1e0d9c8b7a',
    userId: PARTICIPANT,
    eventTitle: 'Language café',
    eventType: 'language',
    eventFormat: 'in-person',
    attendedAt: AT,
    durationMinutes: 90,
    sdgGoals: [4, 10],
  },
  'buddy.skill_share.completed': {
    sessionId: '45c48cce-2e2d-4fbd-aa1a-3b4c5d6e7f80',
    skillId: 7,
    skillName: 'CV writing',
    teacherId: BUDDY,
    learnerId: PARTICIPANT,
    completedAt: AT,
    format: 'online',
    proficiencyLevel: 'beginner',
    valuationPoints: 20,
  },
  'buddy.checkin.completed': {
    checkinId: 'd3d94468-02a4-4a31-9c5e-1f2e3d4c5b6a',
    matchId: MATCH,
    checkinDate: AT,
    mood: 'good',
    questionResponses: { goalsOnTrack: true },
  },
  'buddy.feedback.submitted': {
    feedbackId: '6512bd43-d9ca-4f6e-8d7c-0b1a2c3d4e5f',
    matchId: MATCH,
    fromRole: 'participant',
    rating: 0.95,
    submittedAt: AT,
    categories: { communication: 1, helpfulness: 0.9 },
  },
  'buddy.milestone.reached': {
    milestoneId: 3,
    userId: PARTICIPANT,
    milestoneTitle: 'First month together',
    milestoneCategory: 'buddy-connection',
    reachedAt: AT,
    points: 50,
    targetRole: 'participant',
  },
};

/**
 * A valid `data` object for a Buddy event type: a fresh deep copy each call, so a test may change it freely.
 *
 * @param type one of the eight Buddy event types.
 * @throws {TypeError} when `type` is not a Buddy event type.
 * @example
 * ```ts
 * const data = buddySample('buddy.match.created')
 * await publisher.publish('buddy.match.created', { ...data, matchId: crypto.randomUUID() })
 * ```
 */
export function buddySample<T extends BuddyEventType>(type: T): Samples[T] {
  const sample = SAMPLES[type];
  if (sample === undefined) {
    throw new TypeError(
      `buddySample: unknown Buddy event type ${JSON.stringify(type)}; one of ${BUDDY_EVENT_TYPES.join(', ')}`,
    );
  }
  return structuredClone(sample);
}
