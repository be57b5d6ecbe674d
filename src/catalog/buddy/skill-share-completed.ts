/**
 * `buddy.skill_share.completed`: a skill exchange session between two users was completed.
 *
 * @module
 */
import { z } from 'zod';

/**
 * Data of `buddy.skill_share.completed`. Ratings are normalised to 0–1; `sdgGoals` are UN SDG numbers (1–17).
 *
 * @example
 * ```ts
 * BuddySkillShareCompletedSchema.parse({ sessionId, skillId: 12, skillName: 'Swedish', teacherId, learnerId, completedAt })
 * ```
 */
export const BuddySkillShareCompletedSchema = z.object({
  sessionId: z.uuid(),
  skillId: z.int().positive(),
  skillName: z.string().max(100),
  teacherId: z.uuid(),
  learnerId: z.uuid(),
  completedAt: z.iso.datetime(),
  skillCategory: z.string().max(50).optional(),
  matchId: z.uuid().optional(),
  scheduledAt: z.iso.datetime().optional(),
  durationMinutes: z.int().positive().optional(),
  format: z.enum(['in-person', 'online', 'hybrid']).optional(),
  proficiencyLevel: z.enum(['beginner', 'intermediate', 'advanced']).optional(),
  feedback: z
    .object({
      teacherRating: z.number().min(0).max(1).optional(),
      learnerRating: z.number().min(0).max(1).optional(),
      teacherComment: z.string().max(500).optional(),
      learnerComment: z.string().max(500).optional(),
      learnerProgress: z.enum(['no-progress', 'some-progress', 'good-progress', 'excellent-progress']).optional(),
    })
    .optional(),
  sdgGoals: z.array(z.int().min(1).max(17)).optional(),
  valuationPoints: z.int().positive().optional(),
});

/**
 * Data of `buddy.skill_share.completed`, as validated.
 *
 * @example
 * ```ts
 * receiver.on('buddy.skill_share.completed', (e) => { const data: BuddySkillShareCompletedData = e.data })
 * ```
 */
export type BuddySkillShareCompletedData = z.output<typeof BuddySkillShareCompletedSchema>;
