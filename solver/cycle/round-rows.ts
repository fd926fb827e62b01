// rounds.csv (an added output, issue 12): one row per teacher per round they take part in —
// round 1 every teacher, round 2 those round 1 left unplaced, round 3 those still unplaced —
// with where they go and why. The planner may edit it and go on (`lungang rounds --from`).
import { z } from 'zod';
import { BACKBONE_LEVELS, STAGES, SUBJECTS, type Teacher } from '../contract/schemas.ts';

export const ROUND_NAMES = {
  1: ['校内竞聘', 'in-school competitive appointment'],
  2: ['跨校竞聘', 'cross-school competitive appointment'],
  3: ['组织调剂', 'organised assignment'],
} as const;
export type RoundNo = keyof typeof ROUND_NAMES;
/** placed: holds a post at to_school_id; unplaced: goes on to the next round; pool: 待岗/培训 in the county pool (蓄水池). */
export const OUTCOMES = ['placed', 'unplaced', 'pool'] as const;

export const roundRowSchema = z.object({
  round: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  teacher_id: z.string().min(1),
  from_school_id: z.string().min(1),
  to_school_id: z.string().default(''),
  outcome: z.enum(OUTCOMES),
  stage: z.enum(STAGES).optional(),
  subject: z.enum(SUBJECTS).optional(),
  backbone: z.enum(BACKBONE_LEVELS).optional(),
  assessment_score: z.number().optional(),
  reason: z.string().default(''),
});
export type RoundRow = z.infer<typeof roundRowSchema>;

export const ROUND_COLUMNS = [
  'round', 'round_name', 'teacher_id', 'from_school_id', 'to_school_id', 'outcome', 'stage', 'subject', 'backbone', 'assessment_score', 'reason',
] as const;

export function roundRow(round: RoundNo, t: Teacher, outcome: RoundRow['outcome'], to: string, reason: string): RoundRow {
  return {
    round, teacher_id: t.id, from_school_id: t.school_id, to_school_id: to, outcome, stage: t.stage, subject: t.subject,
    backbone: t.backbone, ...(t.assessment_score === undefined ? {} : { assessment_score: t.assessment_score }), reason,
  };
}

/** Higher score first; no score ranks below every score; ties by id, so the order is strict and reproducible. */
export function byScore(a: Teacher, b: Teacher): number {
  const d = (b.assessment_score ?? -Infinity) - (a.assessment_score ?? -Infinity);
  if (d !== 0 && !Number.isNaN(d)) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const scoreText = (t: Teacher): string => (t.assessment_score === undefined ? '无考核分数' : `考核分数${t.assessment_score}`);
