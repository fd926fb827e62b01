// The year's staffing floors (policy.cycle.staffFloor, set by `lungang cycle`): a school whose cycle
// teachers still waiting outnumber what its outflow caps will let go in the years left keeps (or
// reaches) enough teachers for next year's cap. The cap is ⌊20% × its teachers⌋ (data contract), so
// a 教学点 of 4 teachers may send no one until it has 5; without the floor the sample county's cycle
// left teachers at such schools unrotated, and a small school that lost teachers one year could no
// longer send the teacher about to pass the age cap the next. Only transfers move a post (R17).
import { type CountyRule, postsChange, schoolsVerdict } from './rule-kit.ts';
import type { CountyContext } from './county.ts';

const floorsOf = (ctx: CountyContext) => ctx.schools.filter((s) => ctx.policy.cycle.staffFloor[s.id] !== undefined);

export const staffFloorRule: CountyRule = {
  id: 'staff_floor',
  name: '周期内学校交流后教师数不低于下限（使以后年度流出上限能放行本校待交流教师）',
  name_en: 'Each school keeps at least its floor of teachers, so later years\' outflow caps let its waiting cycle teachers go',
  clause: '政策参数“周期内学校教师数下限”：每校每年流出不超过本校教师的规定比例（数据约定），周期内符合条件的教师均须交流（青海省实施方案第13条：交流轮岗常态化制度化）',
  clause_en: 'Policy cycle.staffFloor: the outflow cap is a share of a school\'s teachers (data contract), and every teacher due in the cycle rotates (SEED1 §13: regular, institutional rotation)',
  constraints: (ctx) =>
    floorsOf(ctx).map((s) => ({
      key: `stafffloor_${s.id}`,
      school: s.id,
      coef: postsChange(s.id),
      min: ctx.policy.cycle.staffFloor[s.id]! - (ctx.staffBefore.get(s.id) ?? 0),
    })),
  result: (ctx, sums) => {
    const schools = floorsOf(ctx);
    const bad = schools.flatMap((s, i) => {
      const after = (ctx.staffBefore.get(s.id) ?? 0) + (sums[i] ?? 0);
      const floor = ctx.policy.cycle.staffFloor[s.id]!;
      return after < floor ? [{ zh: `${s.id}：交流后${after}人 < 下限${floor}人`, en: `${s.id}: ${after} after the plan < floor ${floor}` }] : [];
    });
    if (schools.length === 0) return { required: '未设下限', required_en: 'no floors set', actual: '—', actual_en: '—', ok: true };
    return schoolsVerdict(bad, schools.length, ['所设学校 交流前人数 + 带编调入 − 带编调出 ≥ 下限', 'schools with a floor: staff before + transfers in − transfers out ≥ floor'], ['低于下限', 'below the floor']);
  },
};
