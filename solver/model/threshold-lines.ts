// The school-line term (policy/school-lines.ts) as linear rows. For a school × stage × indicator
// with R counted teachers and a line of L, the plan's net change n = Σ (flows in − flows out) of
// teachers with the indicator's flag, and at most `out` of them can leave (movers there, outflow cap):
// - below the line (R < L): a binary `gain` (cost −weight) with n − (L − R + out)·gain ≥ −out,
//   so gain = 1 only when n ≥ L − R, and gain = 0 allows any n ≥ −out;
// - on or above it (R ≥ L): a binary `lost` (cost +weight) with n + (out − s + 1)·lost ≥ −(s − 1),
//   s = R − L + 1 the outflow that drops it: lost = 0 keeps n ≥ −(R − L).
// At every integer plan the optimum sets each binary to the truth, so the term is exact. Lines no
// plan can reach (L − R above the moves a plan may make, or s above `out`) get no binary: their value cannot change.
import type { Stage } from '../contract/schemas.ts';
import { type CountyContext, floorShare } from '../policy/county.ts';
import { INDICATOR_KEYS, type IndicatorKey, schoolIndicators } from '../policy/indicators.ts';
import { lineCount } from '../policy/school-lines.ts';
import { movesMax } from '../policy/rules.ts';
import { type ModelBuilder, Terms } from './linear-model.ts';
import { type Flow, type TeacherClass, flowEnds } from './county-model.ts';

export interface LineVar {
  v: number;
  key: string;
  kind: 'gain' | 'lost';
  /** gain: the net inflow that meets the line (L − R); lost: the net outflow that drops it (R − L + 1). */
  reach: number;
}

const lineKey = (school: string, stage: Stage, k: IndicatorKey) => `${school}|${stage}|${k}`;

/** The net change of each line key a flow makes (+share at each school served, the shares served off the origin, per flag; share 1 but for 走教). */
export function lineEffects(f: Flow): [string, number][] {
  const out: [string, number][] = [];
  for (const k of INDICATOR_KEYS) {
    if (!f.cls.flags[k]) continue;
    for (const [school, d] of flowEnds(f)) out.push([lineKey(school, f.cls.stage, k), d]);
  }
  return out;
}

/** Adds the binaries and rows of every reachable line; returns the binaries (for completeSolution). */
export function addThresholdLines(b: ModelBuilder, ctx: CountyContext, classes: readonly TeacherClass[], flows: readonly Flow[], elastic = false): LineVar[] {
  const weight = ctx.policy.weights.schoolLine;
  if (weight === 0) return [];
  const budget = movesMax(ctx); // moves of any kind: the rotation budget and 顶岗培养 outside it
  const itinerant = ctx.policy.modes.itinerant.allowed;
  const movers = new Map<string, number>();
  for (const c of classes) for (const k of INDICATOR_KEYS) if (c.flags[k]) movers.set(lineKey(c.origin.id, c.stage, k), (movers.get(lineKey(c.origin.id, c.stage, k)) ?? 0) + c.members.length);
  const lines: (LineVar & { out: number })[] = [];
  for (const r of schoolIndicators(ctx.schools, ctx.teachers, ctx.policy)) {
    if (r.students <= 0) continue;
    const cap = floorShare(ctx.policy.limits.maxOutflowShareOfSchool, ctx.staffBefore.get(r.school_id) ?? 0);
    for (const k of INDICATOR_KEYS) {
      const key = lineKey(r.school_id, r.stage, k);
      const L = lineCount(r.students, k, r.stage, ctx.policy);
      // The elastic model may break the cap and the budget (at a price), never a class's size. A 走教
      // teacher stays home (outside the outflow cap) and takes away a share, so the budget bounds those.
      const out = elastic ? (movers.get(key) ?? 0) : Math.min(movers.get(key) ?? 0, itinerant ? budget : Math.min(cap, budget));
      if (r[k] < L && L - r[k] <= budget) lines.push({ v: b.addVar('lg', { ub: 1, cost: -weight, int: true }), key, kind: 'gain', reach: L - r[k], out });
      else if (r[k] >= L && r[k] - L + 1 <= out) lines.push({ v: b.addVar('ll', { ub: 1, cost: weight, int: true }), key, kind: 'lost', reach: r[k] - L + 1, out });
    }
  }
  const terms = new Map(lines.map((l) => [l.key, new Terms()]));
  for (const f of flows) for (const [key, s] of lineEffects(f)) terms.get(key)?.add(f.v, s);
  lines.forEach((l, i) => {
    const t = terms.get(l.key)!;
    if (l.kind === 'gain') b.addRow(`line${i}`, t.add(l.v, -(l.reach + l.out)), -l.out, Infinity);
    else b.addRow(`line${i}`, t.add(l.v, l.out - l.reach + 1), -(l.reach - 1), Infinity);
  });
  return lines.map(({ v, key, kind, reach }) => ({ v, key, kind, reach }));
}

/** The binaries' values at a plan whose flows are fixed: the truth of each line (lost: R + n < L, n may be a 走教 share). */
export function lineValues(lines: readonly LineVar[], net: ReadonlyMap<string, number>, x: Float64Array): void {
  for (const l of lines) {
    const n = net.get(l.key) ?? 0;
    x[l.v] = l.kind === 'gain' ? Number(n >= l.reach - 1e-9) : Number(n < 1 - l.reach - 1e-9);
  }
}
