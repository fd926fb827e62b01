// A previous plan as a start for this model: the frontier plans the county again at a larger
// rotation budget, and the previous point's plan keeps every rule there too (the budget only
// grew). Handed to the engine as the fallback incumbent, it makes the new objective never worse
// than the old plan's. Any doubt (a move without a column, a row it breaks) and it is not used.
import type { Mode } from '../contract/schemas.ts';
import { destinationKey, destinationsOf } from '../policy/objective.ts';
import { type LinearModel, objectiveOf } from './linear-model.ts';
import { type BuiltModel, type Flow, completeSolution } from './county-model.ts';

const TOL = 1e-6;

/** The plan's full column vector in `built`, or null when a move has no column or the vector breaks a bound or row. */
export function startFromPlan(
  built: BuiltModel,
  rows: readonly { teacher_id: string; to_school_id: string; mode?: Mode; fills_subject?: string | undefined }[],
): Float64Array | null {
  const classOf = new Map<string, number>();
  for (const c of built.classes) for (const t of c.members) classOf.set(t.id, c.id);
  // A 走教 teacher serving several schools has a row per school and one column for the set.
  const flowOf = new Map(built.flows.map((f) => [`${f.cls.id}|${destinationKey(f)}|${f.mode}|${f.fills ?? ''}`, f]));
  const first = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!first.has(r.teacher_id)) first.set(r.teacher_id, r);
  const count = new Map<Flow, number>();
  for (const [id, to] of destinationsOf(rows)) {
    const r = first.get(id)!;
    const cls = classOf.get(id);
    const f = cls === undefined ? undefined : flowOf.get(`${cls}|${to}|${r.mode ?? 'transfer'}|${r.fills_subject ?? ''}`);
    if (!f) return null;
    count.set(f, (count.get(f) ?? 0) + 1);
  }
  const x = completeSolution(built, (f) => count.get(f) ?? 0);
  return keepsEveryRow(built.model, x) ? x : null;
}

/** Column bounds and every row hold at x: the engine trusts a start without checking it. */
export function keepsEveryRow(m: LinearModel, x: Float64Array): boolean {
  if (m.vars.some((v, j) => x[j]! < v.lb - TOL || x[j]! > v.ub + TOL)) return false;
  return m.rows.every((r) => {
    let s = 0;
    for (let k = 0; k < r.idx.length; k++) s += r.coef[k]! * x[r.idx[k]!]!;
    return s >= r.lb - TOL && s <= r.ub + TOL;
  });
}

/**
 * The start with the lowest objective among the plans that fit (`startFromPlan`) and the fallback
 * (the greedy plan): a re-plan's baseline often keeps every rule of the new model, and then costs no
 * change at all, far below a greedy plan; any start only ever lowers where the engine begins.
 */
export function bestStart(built: BuiltModel, plans: readonly (Parameters<typeof startFromPlan>[1] | undefined)[], fallback: Float64Array | null): Float64Array | null {
  const fits = plans.flatMap((rows) => (rows ? [startFromPlan(built, rows)] : [])).filter((x): x is Float64Array => x !== null);
  const candidates = fallback ? [...fits, fallback] : fits;
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (objectiveOf(built.model, b) < objectiveOf(built.model, a) ? b : a));
}

/**
 * The elastic model's start (explaining an infeasible county): nobody moves and each county rule
 * that staying breaks has its slack set to what it is short, so the engine holds an explanation
 * from its first second and a short time limit still names the rules.
 */
export function elasticStart(built: BuiltModel): Float64Array | null {
  const x = completeSolution(built, () => 0);
  const slack = new Set<number>();
  for (const s of built.slacks.values()) for (const j of [s.lo, s.hi]) if (j !== undefined) slack.add(j);
  for (const r of built.model.rows) {
    let activity = 0;
    const own: number[] = [];
    for (let k = 0; k < r.idx.length; k++) {
      if (slack.has(r.idx[k]!)) own.push(k);
      else activity += r.coef[k]! * x[r.idx[k]!]!;
    }
    for (const k of own) {
      const c = r.coef[k]!;
      const short = c > 0 ? r.lb - activity : activity - r.ub;
      if (short > 0) x[r.idx[k]!] = short / Math.abs(c);
    }
  }
  return keepsEveryRow(built.model, x) ? x : null;
}
