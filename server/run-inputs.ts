// What a run's row holds besides its outputs: the inputs it solves and the progress its status
// polls show. Read by the run queue, the routes and the comparisons alike.
import { z } from 'zod';
import { lockSchema, policySchema } from '../solver/contract/schemas.ts';

/**
 * What a run solves: the scenario's policy and locks as they were when the run started, and the
 * earlier run of the scenario whose plan it re-plans against (null: none). Covered by the result hash.
 */
export const runInputsSchema = z.object({
  policy: policySchema, locks: z.array(lockSchema), baseline_run_id: z.number().int().nullable().default(null),
});
export type RunInputs = z.infer<typeof runInputsSchema>;

export const progressSchema = z.object({
  phase: z.enum(['queued', 'parsing', 'building', 'solving', 'reporting']),
  county: z.string().nullable(),
  objective: z.number().nullable(),
  gap: z.number().nullable(),
});
export type Progress = z.infer<typeof progressSchema>;
