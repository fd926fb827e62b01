// Why no plan exists, said in policy language with numbers. Counting arguments catch the usual
// conflicts before any solve; when the engine still proves a county infeasible, the elastic model
// (each rule with a priced slack) says which rules give way and by how much.
import type { CountyContext } from '../policy/county.ts';
import type { Conflict } from '../policy/precheck.ts';
import type { BuiltModel } from '../model/county-model.ts';

/** Reads the slacks of a solved elastic model: each positive slack is a rule that had to give way. */
export function explainElastic(ctx: CountyContext, built: BuiltModel, x: ArrayLike<number>): Conflict[] {
  const out: Conflict[] = [];
  for (const [key, s] of built.slacks) {
    const lo = s.lo === undefined ? 0 : x[s.lo] ?? 0;
    const hi = s.hi === undefined ? 0 : x[s.hi] ?? 0;
    const short = Math.max(lo, hi);
    if (short < 1e-6) continue;
    const n = Math.ceil(short - 1e-6);
    const [kind, ...rest] = key.split('_');
    const school = ctx.schoolById.get(rest.join('_'));
    const label = school ? `${school.name}（${school.id}）` : '';
    const message =
      kind === 'rotation' ? `轮岗比例要求至少${s.min}名教师交流，在其他规则下还差${n}名`
      : kind === 'backbone' ? `骨干比例（≥${ctx.policy.ratios.minBackboneShareOfRotated}）在其他规则下还差约${n}名骨干教师`
      : kind === 'outflow' ? `${label}需突破流出上限${s.max}人${n}人`
      : kind === 'quota' ? `${label}需超出编制${n}人`
      : `${key}差${n}`;
    out.push({ rules: [kind === 'rotation' ? 'rotation_share' : kind === 'backbone' ? 'backbone_share' : kind === 'outflow' ? 'outflow_cap' : kind ?? key], message, shortBy: n });
  }
  return out;
}
