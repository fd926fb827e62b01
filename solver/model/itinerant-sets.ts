// 走教 to several schools (policy.modes.itinerant.maxSchools): one column per SET of served schools,
// so the county rules see the teacher once and the need and CV rows see a share at each school.
// The sets are drawn only from the schools a single 走教 column of the class already reaches (every
// move rule holds for each served school on its own), so they stay few: within maxKm and the
// 学区 a class has a handful of such schools. Every set is a column of the full model; pricing
// (model/priced-solve.ts) decides which of them the restricted model needs.
import type { School, Teacher } from '../contract/schemas.ts';
import type { CountyContext } from '../policy/county.ts';
import { type Move, moveAllowed } from '../policy/rules.ts';

/** Subsets of `items` of size 2 … `max`, each in the order of `items`. */
function subsets<T>(items: readonly T[], max: number): T[][] {
  const out: T[][] = [];
  const grow = (from: number, set: T[]) => {
    if (set.length >= 2) out.push(set);
    if (set.length === max) return;
    for (let i = from; i < items.length; i++) grow(i + 1, [...set, items[i]!]);
  };
  grow(0, []);
  return out;
}

/** The 走教 moves of one teacher (class representative) to two or more of `reach` at once, each allowed by every move rule. */
export function severalServed(ctx: CountyContext, teacher: Teacher, from: School, reach: readonly School[]): Move[] {
  const p = ctx.policy.modes.itinerant;
  if (!p.allowed || p.maxSchools < 2) return [];
  return subsets(reach, p.maxSchools)
    .map(([to, ...also]): Move => ({ teacher, from, to: to!, also, mode: 'itinerant', fte: p.fte }))
    .filter((m) => moveAllowed(ctx, m));
}
