// The first restricted model the engine starts from (BuiltModel.initial): per class its most
// promising columns by moveScore. Pricing adds any other column that could improve the plan, so
// this choice changes the time to the optimum, never the optimum.
import { pushTo } from '../contract/collections.ts';
import type { CountyContext } from '../policy/county.ts';
import { destinationKey } from '../policy/objective.ts';
import { type BuiltModel, type Flow, type FlowEffects, flowEffects } from './county-model.ts';

/** How much one teacher on this flow helps on its own: its cost, the first CV steps at both ends, a need filled or opened. */
export function moveScore(ctx: CountyContext, built: BuiltModel, f: Flow): number {
  return (f.score ??= scoreOf(ctx, built, f, flowEffects(built, f)));
}

/** moveScore from the flow's effects (flowEffects), for a caller that has them at hand. */
export function scoreOf(ctx: CountyContext, built: Pick<BuiltModel, 'model' | 'tallies' | 'needs'>, f: Flow, e: FlowEffects): number {
  const { vars } = built.model;
  const w = ctx.policy.weights.unfilledNeed;
  let s = vars[f.v]!.cost;
  for (const [k, sign] of e.tallies) {
    const t = built.tallies.get(k)!;
    const v = sign > 0 ? t.up[0] : t.down[0];
    s += v === undefined ? 1e3 : (vars[v]!.cost * Math.abs(sign)) / t.step;
  }
  for (const [k, sign] of e.needs) {
    const gap = built.needs.get(k)!.gap;
    s += sign > 0 ? (gap > 0 ? -w : 0) : gap >= 0 ? w : 0;
  }
  return s;
}

/**
 * The first restricted model: every non-flow column, and per class its best-scoring destinations,
 * a need in an extra subject there and a set of 走教 schools each counting as a destination of its
 * own (one kind of move each: the other kinds to the same school join when pricing finds a quota or
 * other row that makes them pay), its lock and its baseline move.
 */
export function initialColumns(ctx: CountyContext, built: BuiltModel): Uint8Array {
  const active = new Uint8Array(built.model.vars.length).fill(1);
  const byClass = new Map<number, Flow[]>();
  for (const f of built.flows) {
    moveScore(ctx, built, f); // kept on the flow (buildModel's rows pass sets it): the sort reads it there, not from a map of 10⁶ entries
    active[f.v] = 0;
    pushTo(byClass, f.cls.id, f);
  }
  for (const fs of byClass.values()) {
    fs.sort((a, b) => a.score! - b.score! || a.v - b.v);
    const picked = new Set<string>();
    for (const f of fs) {
      if (picked.size >= ctx.policy.solver.destinationsPerClass) break;
      const dest = `${destinationKey(f)}|${f.fills ?? ''}`;
      if (picked.has(dest)) continue;
      picked.add(dest);
      active[f.v] = 1;
    }
    for (const f of fs) if (built.objective.baseline?.get(f.cls.rep.id) === destinationKey(f) && f.cls.members.length === 1) active[f.v] = 1;
  }
  return active;
}

