/**
 * `buddy.match.created`: a participant and a buddy were matched.
 *
 * @module
 */
import { z } from 'zod';

/**
 * Data of `buddy.match.created`.
 *
 * @example
 * ```ts
 * BuddyMatchCreatedSchema.parse({ matchId, participantId, buddyId, matchedAt: new Date().toISOString() })
 * ```
 */
export const BuddyMatchCreatedSchema = z.object({
  matchId: z.uuid(),
  participantId: z.uuid(),
  buddyId: z.uuid(),
  matchedAt: z.iso.datetime(),
  matchingCriteria: z
    .object({
      language: z.string().optional(),
      interests: z.array(z.string()).optional(),
      location: z.string().optional(),
    })
    .optional(),
  programId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  beneficiaryGroupId: z.uuid().optional(),
});

/**
 * Data of `buddy.match.created`, as validated.
 *
 * @example
 * ```ts
 * receiver.on('buddy.match.created', (e) => { const data: BuddyMatchCreatedData = e.data })
 * ```
 */
export type BuddyMatchCreatedData = z.output<typeof BuddyMatchCreatedSchema>;
