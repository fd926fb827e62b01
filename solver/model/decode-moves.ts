// From the engine's column values to named teachers: within a class the members are
// interchangeable for every rule and every cost, so the k teachers a flow needs are picked by
// preference, commute, then id.
import type { Teacher } from '../contract/schemas.ts';
import { pushTo } from '../contract/collections.ts';
import { type CountyContext, homeDistanceKm } from '../policy/county.ts';
import type { Move } from '../policy/rules.ts';
import type { BuiltModel, Flow } from './county-model.ts';

/** Moves encoded by a solution vector (values rounded: the model's flows are integers). */
export function movesFromSolution(ctx: CountyContext, built: BuiltModel, x: ArrayLike<number>): Move[] {
  const taken = new Set<string>();
  const moves: Move[] = [];
  const byClass = new Map<number, { flow: Flow; k: number }[]>();
  for (const flow of built.flows) {
    const k = Math.round(x[flow.v] ?? 0);
    if (k > 0) pushTo(byClass, flow.cls.id, { flow, k });
  }
  const rank = new Map(ctx.preferences.map((p) => [`${p.teacher_id}|${p.school_id}`, p.rank]));
  for (const picks of byClass.values()) {
    for (const { flow, k } of picks) {
      const order = (t: Teacher) => [rank.get(`${t.id}|${flow.to.id}`) ?? 99, homeDistanceKm(t, flow.to) ?? 0] as const;
      const candidates = flow.cls.members
        .filter((t) => !taken.has(t.id))
        .sort((a, b) => {
          const [ra, da] = order(a);
          const [rb, db] = order(b);
          return ra - rb || da - db || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
        });
      for (const t of candidates.slice(0, k)) {
        taken.add(t.id);
        moves.push({ teacher: t, from: flow.cls.origin, to: flow.to, ...(flow.also.length ? { also: flow.also } : {}), mode: flow.mode, ...(flow.mode === 'itinerant' ? { fte: flow.share } : {}), ...(flow.fills ? { fills: flow.fills } : {}) });
      }
    }
  }
  return moves.sort((a, b) => (a.teacher.id < b.teacher.id ? -1 : 1));
}
