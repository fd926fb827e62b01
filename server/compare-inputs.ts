// What the compared runs were asked to do, from each run's own inputs snapshot (policy, locks,
// baseline) and its report's rotation budget: the requirement each run was held to, and every
// assumption that differs between the runs — policy parameters found by walking the policies'
// keys generically (a parameter added to the contract later shows up without a change here),
// locks added, removed or changed, and the baseline a re-plan kept to.
import { z } from 'zod';
import type { Lock, Policy } from '../solver/contract/schemas.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of JSON values (object key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameJson(a[k], b[k]));
  }
  return a === b;
}

const leaf = z.union([z.number(), z.boolean(), z.string(), z.null()]);
export const policyDiffSchema = z.object({
  /** Keys from the policy's root, e.g. ["ratios", "maxRotatedShareOfEligible"]. */
  path: z.array(z.string()),
  /** Each run's value; null also where a run's policy lacks the key. */
  values: z.array(leaf),
});
export type PolicyDiff = z.infer<typeof policyDiffSchema>;

/** Every leaf (a value that is not an object) whose value is not the same in all `values`, in key order. */
export function leafDiffs(values: readonly unknown[], path: string[] = []): PolicyDiff[] {
  if (values.some(isObject)) {
    const keys: string[] = [];
    for (const v of values) if (isObject(v)) for (const k of Object.keys(v)) if (!keys.includes(k)) keys.push(k);
    return keys.flatMap((k) => leafDiffs(values.map((v) => (isObject(v) ? v[k] : undefined)), [...path, k]));
  }
  if (values.every((v) => sameJson(v, values[0]))) return [];
  const asLeaf = (v: unknown) => (v === undefined ? null : leaf.safeParse(v).success ? (v as z.infer<typeof leaf>) : JSON.stringify(v));
  return [{ path, values: values.map(asLeaf) }];
}

const lockValue = z.object({ action: z.enum(['stay', 'move']), to_school_id: z.string().nullable(), reason: z.string() });
export const lockDiffSchema = z.object({
  teacher_id: z.string(),
  /** Each run's lock of the teacher; null: no lock. */
  runs: z.array(lockValue.nullable()),
  /** Against the first run: `added` (no lock there), `removed`, `changed` (action, school or reason) or `same`. */
  change: z.array(z.enum(['same', 'added', 'removed', 'changed'])),
});
export type LockDiff = z.infer<typeof lockDiffSchema>;

/** Locks that are not the same in every run, by teacher (a teacher has at most one lock). */
export function lockDiffs(lists: readonly (readonly Lock[])[]): LockDiff[] {
  const byRun = lists.map((locks) => new Map(locks.map((l) => [l.teacher_id, { action: l.action, to_school_id: l.to_school_id ?? null, reason: l.reason }])));
  const ids = [...new Set(lists.flatMap((locks) => locks.map((l) => l.teacher_id)))].sort();
  return ids.flatMap((id) => {
    const runs = byRun.map((m) => m.get(id) ?? null);
    if (runs.every((r) => sameJson(r, runs[0]))) return [];
    const first = runs[0] ?? null;
    const change = runs.map((r) => (sameJson(r, first) ? 'same' : first === null ? 'added' : r === null ? 'removed' : 'changed') as LockDiff['change'][number]);
    return [{ teacher_id: id, runs, change }];
  });
}

export const requirementsSchema = z.object({
  min_rotated_share: z.number(),
  /** null: exactly the minimum (move locks may raise it). */
  max_rotated_share: z.number().nullable(),
  min_backbone_share: z.number(),
  /** The rotation budget in teachers (report.json `budget`, summed over counties). */
  eligible: z.number().int(),
  min_rotated: z.number().int(),
  max_rotated: z.number().int(),
  locked_moves: z.number().int(),
});
export type Requirements = z.infer<typeof requirementsSchema>;

export const reportBudgetSchema = z.array(z.object({
  county: z.string(), eligible: z.number().int(), min_rotated: z.number().int(), max_rotated: z.number().int(), locked_moves: z.number().int(),
}));

export function requirementsOf(policy: Policy, budget: z.infer<typeof reportBudgetSchema>): Requirements {
  const sum = (k: 'eligible' | 'min_rotated' | 'max_rotated' | 'locked_moves') => budget.reduce((s, b) => s + b[k], 0);
  return {
    min_rotated_share: policy.ratios.minRotatedShareOfEligible,
    max_rotated_share: policy.ratios.maxRotatedShareOfEligible,
    min_backbone_share: policy.ratios.minBackboneShareOfRotated,
    eligible: sum('eligible'), min_rotated: sum('min_rotated'), max_rotated: sum('max_rotated'), locked_moves: sum('locked_moves'),
  };
}

export const assumptionsSchema = z.object({
  policy: z.array(policyDiffSchema),
  locks: z.array(lockDiffSchema),
  /** Each run's baseline run (a re-plan keeps that plan's moves unless a change pays); null: none. Listed only when they differ. */
  baseline: z.array(z.number().int().nullable()).nullable(),
  /** Each run's dataset, listed only when they differ. */
  dataset: z.array(z.number().int()).nullable(),
});
export type Assumptions = z.infer<typeof assumptionsSchema>;

export interface RunInputsLike { dataset_id: number; policy: Policy; locks: Lock[]; baseline_run_id: number | null }

export function assumptionsOf(runs: readonly RunInputsLike[]): Assumptions {
  const differ = <T>(xs: T[]) => (xs.every((x) => x === xs[0]) ? null : xs);
  return {
    policy: leafDiffs(runs.map((r) => r.policy)),
    locks: lockDiffs(runs.map((r) => r.locks)),
    baseline: differ(runs.map((r) => r.baseline_run_id)),
    dataset: differ(runs.map((r) => r.dataset_id)),
  };
}
