// Why no plan exists, said in policy language with numbers. Counting arguments (policy/precheck.ts)
// catch the usual conflicts before any solve; when the engine still proves a county infeasible,
// the elastic model (every rule, switch and lock with a priced slack) finds the plan that breaks
// the fewest rules by the least: its slacks name the rules that had to give way and by how much,
// and its moves are offered as a plan clearly marked as not compliant.
import { STAGE_ZH } from '../contract/labels.ts';
import type { CountyContext } from '../policy/county.ts';
import { cvAfter } from '../policy/objective.ts';
import type { Conflict } from '../policy/precheck.ts';
import { type Move, countsTowardRotation, mustRotateOf } from '../policy/rules.ts';
import type { BuiltModel } from '../model/county-model.ts';

const INDICATOR_ZH = { aboveDegree: '高于规定学历教师', backbone: '骨干教师', peArt: '体育艺术教师' } as const;

/** Teachers on the must-rotate list the elastic plan does not rotate: the ones in conflict, named (`教师T00212`). */
function unrotated(ctx: CountyContext, moves: readonly Move[]): string[] {
  const rotated = new Set(moves.filter((m) => countsTowardRotation(ctx, m) === 1).map((m) => m.teacher.id));
  return mustRotateOf(ctx).filter((id) => !rotated.has(id)).map((id) => `教师${id}`);
}

/** Reads the slacks of a solved elastic model (with the moves it made): each positive slack is a rule that gave way. */
export function explainElastic(ctx: CountyContext, built: BuiltModel, x: ArrayLike<number>, moves: readonly Move[]): Conflict[] {
  const out: Conflict[] = [];
  const locked = ctx.locks.filter((l) => l.action === 'move').length;
  for (const [key, s] of built.slacks) {
    const lo = s.lo === undefined ? 0 : x[s.lo] ?? 0;
    const hi = s.hi === undefined ? 0 : x[s.hi] ?? 0;
    const short = Math.max(lo, hi);
    if (short < 1e-6) continue;
    const n = Math.ceil(short - 1e-6);
    const [kind = key, ...rest] = key.split('_');
    const school = ctx.schoolById.get(rest.join('_'));
    const label = school ? `${school.name}（${school.id}）` : '';
    if (kind === 'neverworse') {
      const [stage, indicator] = rest as ['primary' | 'junior', keyof typeof INDICATOR_ZH];
      const pair = built.pairs.find((p) => p.stage === stage && p.indicator === indicator)!;
      const after = cvAfter(pair, ctx, moves).cv;
      out.push({
        rules: ['never_worse', ...(locked > 0 ? ['locked_moves'] : []), 'rotation_share', 'backbone_share'],
        message:
          `在其他规则下，${STAGE_ZH[stage]}${INDICATOR_ZH[indicator]}差异系数最少也要从${pair.cvBefore.toFixed(3)}升到${after.toFixed(3)}` +
          `，与“任何差异系数不得变差”开关（indicators.neverWorse）冲突：可关闭该开关${locked > 0 ? `，或取消/改变${locked}项锁定交流中的相关安排` : ''}，或降低交流/骨干比例`,
        shortBy: n,
      });
      continue;
    }
    const [rule, message] =
      kind === 'rotation' ? ['rotation_share', `轮岗比例要求至少${s.min}名教师交流，在其他规则下还差${n}名`]
      : kind === 'budget' ? ['rotation_budget', `交流预算最多${s.max}人，在其他规则下需多交流${n}人：可提高 ratios.maxRotatedShareOfEligible`]
      : kind === 'backbone' ? ['backbone_share', `骨干比例（≥${ctx.policy.ratios.minBackboneShareOfRotated}）在其他规则下还差约${n}名骨干教师`]
      : kind === 'outflow' ? ['outflow_cap', `${label}需突破流出上限${s.max}人${n}人`]
      : kind === 'quota' ? ['quota', `${label}需超出编制${n}人`]
      : kind === 'stafffloor' ? ['staff_floor', `${label}交流后教师数需低于周期所设下限${n}人`]
      : kind === 'leadersout' ? ['leaders_per_school', `${label}需调出学校领导超出上限${s.max}人${n}人`]
      : kind === 'principal' ? ['principal_kept', `${label}调入与调出的校长人数需相差${n}人（学校会缺校长或多出校长）`]
      : kind === 'lock' ? ['locked_moves', `锁定交流（教师${rest.join('_')}）在其他规则下无法执行`]
      : key === 'shadow_named' ? ['shadow_named', `顶岗培养名单${s.min}人中有${n}人在其他规则下无法安排：可从名单中删去，或放宽与之冲突的规则（流出上限、学校领导的规则等）`]
      : key === 'must_rotate' ? ['must_rotate', `本年须交流名单${s.min}人中有${n}人在其他规则下无法交流（${unrotated(ctx, moves).join('、')}）：可从名单中删去，或放宽与之冲突的规则（流出上限、编制、差异系数不得变差等）`]
      : [key, `${key}差${n}`];
    out.push({ rules: [rule], message, shortBy: n });
  }
  return out;
}
