/**
 * `buddy.milestone.reached`: a user reached a programme milestone and earned its points.
 *
 * @module
 */
import { z } from 'zod';

/**
 * Data of `buddy.milestone.reached`.
 *
 * @example
 * ```ts
 * BuddyMilestoneReachedSchema.parse({
 *   milestoneId: 3, userId, milestoneTitle: 'First meetup', milestoneCategory: 'buddy-connection', reachedAt, points: 50,
 * })
 * ```
 */
export const BuddyMilestoneReachedSchema = z.object({
  milestoneId: z.int().positive(),
  userId: z.uuid(),
  milestoneTitle: z.string().max(100),
  milestoneCategory: z.enum([
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
  reachedAt: z.iso.datetime(),
  points: z.int().nonnegative(),
  badgeIcon: z.string().max(50).optional(),
  targetRole: z.enum(['participant', 'buddy', 'all']).optional(),
  progress: z
    .object({
      currentStep: z.int().positive().optional(),
      totalSteps: z.int().positive().optional(),
      completedSteps: z.array(z.string()).optional(),
    })
    .optional(),
  metadata: z
    .object({
      isFirstTime: z.boolean().optional(),
      streakCount: z.int().positive().optional(),
      relatedEntities: z.array(z.object({ type: z.string(), id: z.string() })).optional(),
    })
    .optional(),
});

/**
 * Data of `buddy.milestone.reached`, as validated.
 *
 * @example
 * ```ts
 * receiver.on('buddy.milestone.reached', (e) => { const data: BuddyMilestoneReachedData = e.data })
 * ```
 */
export type BuddyMilestoneReachedData = z.output<typeof BuddyMilestoneReachedSchema>;
