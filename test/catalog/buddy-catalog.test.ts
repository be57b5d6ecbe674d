// Table-driven: each Buddy event is described once (a full sample, its required fields, a rule per constrained
// field), and every case is generated from that description.
import { describe, expect, it } from 'vitest';
import { BUDDY_EVENT_TYPES, type BuddyEventType, buddyCatalog, type CatalogValidation } from '../../src/index.js';

type Path = readonly (string | number)[];
interface Rule {
  readonly name: string;
  readonly path: Path;
  readonly invalid: readonly unknown[];
  readonly valid: readonly unknown[];
}
interface EventDescription {
  readonly type: BuddyEventType;
  readonly sample: Record<string, unknown>;
  readonly required: readonly string[];
  readonly rules: readonly Rule[];
  /** Nested objects (not free-form records) whose unknown keys are stripped too. */
  readonly nested: readonly string[];
}

const at = (path: string): Path => path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
const uuid = (path: string): Rule => ({
  name: 'uuid',
  path: at(path),
  invalid: ['not-a-uuid', '123e4567e89b12d3a456426614174000', 42],
  valid: ['123e4567-e89b-12d3-a456-426614174000'],
});
const dt = (path: string): Rule => ({
  name: 'ISO-8601 UTC Z',
  path: at(path),
  invalid: ['2026-03-01T10:00:00+02:00', '2026-03-01T10:00:00', '2026-03-01', 'yesterday', 1767225600000],
  valid: ['2026-03-01T10:00:00Z', '2026-03-01T10:00:00.123456Z'],
});
const maxLength = (path: string, max: number): Rule => ({
  name: `≤ ${max} chars`,
  path: at(path),
  invalid: ['x'.repeat(max + 1), 7],
  valid: ['', 'x'.repeat(max)],
});
const text = (path: string): Rule => ({ name: 'string', path: at(path), invalid: [7, null], valid: [''] });
const strings = (path: string): Rule => ({ name: 'string[]', path: at(path), invalid: ['a', [1]], valid: [[], ['a']] });
const positiveInt = (path: string): Rule => ({
  name: 'int > 0',
  path: at(path),
  invalid: [0, -1, 1.5, '3'],
  valid: [1, 10_000],
});
const nonNegativeInt = (path: string): Rule => ({
  name: 'int ≥ 0',
  path: at(path),
  invalid: [-1, 0.5, '0'],
  valid: [0, 12],
});
const unit = (path: string): Rule => ({
  name: '0–1',
  path: at(path),
  invalid: [-0.01, 1.01, 5, '0.5'],
  valid: [0, 0.5, 1],
});
const sdgGoals = (path: string): Rule => ({
  name: 'int 1–17 []',
  path: at(path),
  invalid: [[0], [18], [4.5], 4],
  valid: [[], [1, 17]],
});
const oneOf = (path: string, values: readonly string[]): Rule => ({
  name: `one of ${values.join(', ')}`,
  path: at(path),
  invalid: ['nope', values[0]?.toUpperCase(), 1],
  valid: values,
});
const FORMATS = ['in-person', 'online', 'hybrid'];

const ID = {
  a: '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f',
  b: '1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80',
  c: '2d8b5e40-ac73-4b20-9e3f-4c5d6e7f8091',
  d: '3e9c6f51-bd84-4c31-af40-5d6e7f8091a2',
};
const WHEN = '2026-03-01T10:00:00.000Z';

const EVENTS: readonly EventDescription[] = [
  {
    type: 'buddy.match.created',
    nested: ['matchingCriteria'],
    sample: {
      matchId: ID.a,
      participantId: ID.b,
      buddyId: ID.c,
      matchedAt: WHEN,
      matchingCriteria: { language: 'sv', interests: ['chess', 'hiking'], location: 'Oslo' },
      programId: ID.d,
      campaignId: ID.a,
      beneficiaryGroupId: ID.b,
    },
    required: ['matchId', 'participantId', 'buddyId', 'matchedAt'],
    rules: [
      uuid('matchId'),
      uuid('participantId'),
      uuid('buddyId'),
      dt('matchedAt'),
      text('matchingCriteria.language'),
      strings('matchingCriteria.interests'),
      text('matchingCriteria.location'),
      uuid('programId'),
      uuid('campaignId'),
      uuid('beneficiaryGroupId'),
    ],
  },
  {
    type: 'buddy.match.ended',
    nested: ['feedback'],
    sample: {
      matchId: ID.a,
      participantId: ID.b,
      buddyId: ID.c,
      endedAt: WHEN,
      duration: 90,
      reason: 'mutual_agreement',
      reasonDetails: 'Both moved on',
      sessionsCompleted: 12,
      eventsAttended: 3,
      feedback: { participantSatisfaction: 0.9, buddySatisfaction: 0.7 },
    },
    required: ['matchId', 'participantId', 'buddyId', 'endedAt', 'duration', 'reason'],
    rules: [
      uuid('matchId'),
      uuid('participantId'),
      uuid('buddyId'),
      dt('endedAt'),
      positiveInt('duration'),
      oneOf('reason', [
        'completed',
        'participant_request',
        'buddy_request',
        'mutual_agreement',
        'inactivity',
        'violation',
        'program_ended',
        'other',
      ]),
      maxLength('reasonDetails', 500),
      nonNegativeInt('sessionsCompleted'),
      nonNegativeInt('eventsAttended'),
      unit('feedback.participantSatisfaction'),
      unit('feedback.buddySatisfaction'),
    ],
  },
  {
    type: 'buddy.event.logged',
    nested: [],
    sample: {
      eventId: ID.a,
      matchId: ID.b,
      eventType: 'hangout',
      eventDate: WHEN,
      description: 'Coffee and a walk',
      location: 'Bergen',
      attendees: [ID.c, ID.d],
    },
    required: ['eventId', 'matchId', 'eventType', 'eventDate'],
    rules: [
      uuid('eventId'),
      uuid('matchId'),
      text('eventType'),
      dt('eventDate'),
      text('description'),
      text('location'),
      uuid('attendees.1'),
    ],
  },
  {
    type: 'buddy.event.attended',
    nested: [],
    sample: {
      eventId: ID.a,
      userId: ID.b,
      eventTitle: 'Language café',
      eventType: 'language',
      eventFormat: 'hybrid',
      attendedAt: WHEN,
      matchId: ID.c,
      location: 'Library',
      durationMinutes: 90,
      attendeeCount: 25,
      organizer: 'TEEI',
      categories: ['language', 'social'],
      sdgGoals: [4, 10],
    },
    required: ['eventId', 'userId', 'eventTitle', 'eventType', 'eventFormat', 'attendedAt'],
    rules: [
      uuid('eventId'),
      uuid('userId'),
      maxLength('eventTitle', 200),
      oneOf('eventType', [
        'cultural',
        'educational',
        'professional',
        'social',
        'support',
        'recreational',
        'language',
        'other',
      ]),
      oneOf('eventFormat', FORMATS),
      dt('attendedAt'),
      uuid('matchId'),
      maxLength('location', 200),
      positiveInt('durationMinutes'),
      positiveInt('attendeeCount'),
      maxLength('organizer', 100),
      strings('categories'),
      sdgGoals('sdgGoals'),
    ],
  },
  {
    type: 'buddy.skill_share.completed',
    nested: ['feedback'],
    sample: {
      sessionId: ID.a,
      skillId: 12,
      skillName: 'Norwegian conversation',
      teacherId: ID.b,
      learnerId: ID.c,
      completedAt: WHEN,
      skillCategory: 'language',
      matchId: ID.d,
      scheduledAt: '2026-02-28T09:00:00Z',
      durationMinutes: 60,
      format: 'online',
      proficiencyLevel: 'beginner',
      feedback: {
        teacherRating: 1,
        learnerRating: 0.8,
        teacherComment: 'Eager learner',
        learnerComment: 'Great patience',
        learnerProgress: 'good-progress',
      },
      sdgGoals: [4, 8],
      valuationPoints: 40,
    },
    required: ['sessionId', 'skillId', 'skillName', 'teacherId', 'learnerId', 'completedAt'],
    rules: [
      uuid('sessionId'),
      positiveInt('skillId'),
      maxLength('skillName', 100),
      uuid('teacherId'),
      uuid('learnerId'),
      dt('completedAt'),
      maxLength('skillCategory', 50),
      uuid('matchId'),
      dt('scheduledAt'),
      positiveInt('durationMinutes'),
      oneOf('format', FORMATS),
      oneOf('proficiencyLevel', ['beginner', 'intermediate', 'advanced']),
      unit('feedback.teacherRating'),
      unit('feedback.learnerRating'),
      maxLength('feedback.teacherComment', 500),
      maxLength('feedback.learnerComment', 500),
      oneOf('feedback.learnerProgress', ['no-progress', 'some-progress', 'good-progress', 'excellent-progress']),
      sdgGoals('sdgGoals'),
      positiveInt('valuationPoints'),
    ],
  },
  {
    type: 'buddy.checkin.completed',
    nested: [],
    sample: {
      checkinId: ID.a,
      matchId: ID.b,
      checkinDate: WHEN,
      mood: 'okay',
      notes: 'Settling in',
      questionResponses: { housing: 'found a flat', scale: 4, nested: { ok: true } },
    },
    required: ['checkinId', 'matchId', 'checkinDate'],
    rules: [
      uuid('checkinId'),
      uuid('matchId'),
      dt('checkinDate'),
      oneOf('mood', ['great', 'good', 'okay', 'struggling', 'difficult']),
      text('notes'),
      { name: 'record', path: ['questionResponses'], invalid: ['yes', [1, 2], null], valid: [{}, { q: [1] }] },
    ],
  },
  {
    type: 'buddy.feedback.submitted',
    nested: ['categories'],
    sample: {
      feedbackId: ID.a,
      matchId: ID.b,
      fromRole: 'buddy',
      rating: 0.75,
      submittedAt: WHEN,
      feedbackText: 'Going well',
      categories: { communication: 0.9, helpfulness: 1, engagement: 0 },
    },
    required: ['feedbackId', 'matchId', 'fromRole', 'rating', 'submittedAt'],
    rules: [
      uuid('feedbackId'),
      uuid('matchId'),
      oneOf('fromRole', ['participant', 'buddy']),
      unit('rating'),
      dt('submittedAt'),
      text('feedbackText'),
      unit('categories.communication'),
      unit('categories.helpfulness'),
      unit('categories.engagement'),
    ],
  },
  {
    type: 'buddy.milestone.reached',
    nested: ['progress', 'metadata', 'metadata.relatedEntities.0'],
    sample: {
      milestoneId: 3,
      userId: ID.a,
      milestoneTitle: 'First meetup',
      milestoneCategory: 'buddy-connection',
      reachedAt: WHEN,
      points: 50,
      badgeIcon: 'handshake',
      targetRole: 'all',
      progress: { currentStep: 2, totalSteps: 5, completedSteps: ['intro', 'meetup'] },
      metadata: { isFirstTime: true, streakCount: 4, relatedEntities: [{ type: 'match', id: ID.b }] },
    },
    required: ['milestoneId', 'userId', 'milestoneTitle', 'milestoneCategory', 'reachedAt', 'points'],
    rules: [
      positiveInt('milestoneId'),
      uuid('userId'),
      maxLength('milestoneTitle', 100),
      oneOf('milestoneCategory', [
        'onboarding',
        'cultural',
        'language',
        'community',
        'professional',
        'skills',
        'events',
        'buddy-connection',
        'impact',
        'completion',
        'other',
      ]),
      dt('reachedAt'),
      nonNegativeInt('points'),
      maxLength('badgeIcon', 50),
      oneOf('targetRole', ['participant', 'buddy', 'all']),
      positiveInt('progress.currentStep'),
      positiveInt('progress.totalSteps'),
      strings('progress.completedSteps'),
      { name: 'boolean', path: ['metadata', 'isFirstTime'], invalid: ['yes', 1], valid: [false] },
      positiveInt('metadata.streakCount'),
      text('metadata.relatedEntities.0.type'),
      text('metadata.relatedEntities.0.id'),
    ],
  },
];

function validateNow(type: string, data: unknown): CatalogValidation {
  const result = buddyCatalog.validate(type, data);
  // zod answers synchronously: the receiver's hot path relies on it.
  if (result instanceof Promise) throw new Error('expected a synchronous validation');
  return result;
}

function withValue(sample: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(sample);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

function pick(sample: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, sample[key]]));
}

const show = (value: unknown): string => {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}…` : json;
};

it('BUDDY_EVENT_TYPES lists the catalog, and every event has a description here', () => {
  expect(buddyCatalog.types).toEqual(BUDDY_EVENT_TYPES);
  expect(EVENTS.map((e) => e.type)).toEqual([...BUDDY_EVENT_TYPES]);
});

it('keeps every key of a free-form record (questionResponses)', () => {
  const checkin = EVENTS.find((e) => e.type === 'buddy.checkin.completed')!;
  const data = withValue(checkin.sample, ['questionResponses', 'anyQuestion'], 'any answer');
  expect(validateNow(checkin.type, data)).toEqual({ success: true, data });
});

describe.each(EVENTS)('$type', ({ type, sample, required, rules, nested }) => {
  it('accepts a sample with every optional field, unchanged', () => {
    expect(validateNow(type, sample)).toEqual({ success: true, data: sample });
  });

  it('accepts a sample with only the required fields', () => {
    const minimal = pick(sample, required);
    expect(validateNow(type, minimal)).toEqual({ success: true, data: minimal });
  });

  it.each(required)('rejects data without %s, naming the field', (field) => {
    const data = { ...sample };
    delete data[field];
    const result = validateNow(type, data);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('invalid_data');
    expect(result.error.eventType).toBe(type);
    expect(result.error.issues.map((i) => i.path)).toEqual([['data', field]]);
  });

  const invalidCases = rules.flatMap((rule) =>
    rule.invalid.map((value) => ({ label: `${rule.path.join('.')} (${rule.name}) = ${show(value)}`, rule, value })),
  );
  it.each(invalidCases)('rejects $label', ({ rule, value }) => {
    const result = validateNow(type, withValue(sample, rule.path, value));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('invalid_data');
    expect(result.error.issues.length).toBeGreaterThan(0);
    for (const issue of result.error.issues)
      expect(issue.path.slice(0, rule.path.length + 1)).toEqual(['data', ...rule.path]);
  });

  const validCases = rules.flatMap((rule) =>
    rule.valid.map((value) => ({ label: `${rule.path.join('.')} (${rule.name}) = ${show(value)}`, rule, value })),
  );
  it.each(validCases)('accepts $label', ({ rule, value }) => {
    const data = withValue(sample, rule.path, value);
    expect(validateNow(type, data)).toEqual({ success: true, data });
  });

  it('strips unknown keys, at the top and in nested objects', () => {
    let data = withValue(sample, ['unexpected'], 'drop me');
    for (const path of nested) data = withValue(data, [...at(path), 'alsoUnexpected'], 1);
    expect(validateNow(type, data)).toEqual({ success: true, data: sample });
  });

  it('rejects data that is not an object', () => {
    for (const data of [null, 'x', [sample]]) {
      const result = validateNow(type, data);
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error.issues[0]?.path).toEqual(['data']);
    }
  });
});
