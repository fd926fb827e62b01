// Leaders (issue 11 item 8): principals and vice-principals rotate under their own rules
// (教师〔2014〕4号: 校长、副校长 在同一所学校连续任职满两届 — policy.eligibility.leaderYearsAtSchool,
// 6 = two 3-year terms by default), their own age caps (policy.leaders.maxAge), and two county
// rules a bureau keeps when it moves leaders:
// - at most `maxLeavingPerSchool` leaders leave one school in a year, so no school loses its
//   leadership at once;
// - no school is left without its principal, nor gets a second: a principal moves only where the
//   principal there moves too (swaps and chains among schools), i.e. per school the principals
//   coming in equal those leaving. The plan appoints no one, so this is the only way a plan alone
//   can keep every school led.
// 中层 (middle managers) rotate as leaders — same tenure, age caps and per-school count — when
// `leaders.middleManagersAsLeaders` is on (seed 004 "中层轮岗"). Leaders are counted apart in the report.
// Both rules count a leader who leaves the home school (transfer, 支教); a 走教 leader stays and leads it.
import type { Policy, Teacher } from '../contract/schemas.ts';
import { type CountyRule, type Move, leavesHome, schoolsVerdict } from './rule-kit.ts';

export const LEADER_ROLE_ZH: Partial<Record<Teacher['role'], string>> = { principal: '校长', vice_principal: '副校长', middle_manager: '中层干部' };

/** A leader under the policy: principals and vice-principals, and 中层 when the switch is on. */
export const isLeader = (t: Pick<Teacher, 'role'>, p: Policy): boolean =>
  t.role === 'principal' || t.role === 'vice_principal' || (t.role === 'middle_manager' && p.leaders.middleManagersAsLeaders);

const isPrincipal = (t: Pick<Teacher, 'role'>): boolean => t.role === 'principal';

export const leaderRules: CountyRule[] = [
  {
    id: 'leaders_per_school',
    name: '每校每年交流出的学校领导不超过规定人数',
    name_en: 'Leaders leaving one school in a year at most the set number',
    clause: '政策参数“每校每年调出领导上限”：保持学校领导班子稳定（教师〔2014〕4号 校长交流）；开启“中层按领导轮岗”时含中层（海盐县 中层轮岗）',
    clause_en: 'Policy leaders.maxLeavingPerSchool: keeps each school\'s leadership stable (MoE Teachers [2014] No. 4, principals\' rotation); with leaders.middleManagersAsLeaders, middle managers count too (Haiyan county)',
    constraints: (ctx) =>
      ctx.schools.map((s) => ({
        key: `leadersout_${s.id}`,
        school: s.id,
        coef: (m: Move) => (m.from.id === s.id && isLeader(m.teacher, ctx.policy) ? leavesHome(m) : 0),
        max: ctx.policy.leaders.maxLeavingPerSchool,
      })),
    result: (ctx, sums) => {
      const max = ctx.policy.leaders.maxLeavingPerSchool;
      const bad = ctx.schools.flatMap((s, i) =>
        (sums[i] ?? 0) > max ? [{ zh: `${s.id}：调出学校领导${sums[i]}人 > ${max}`, en: `${s.id}: ${sums[i]} leaders leave > ${max}` }] : []);
      const total = sums.reduce((a, x) => a + x, 0);
      const v = schoolsVerdict(bad, ctx.schools.length, [`每校 ≤ ${max}人`, `each school: ≤ ${max}`], ['超限', 'over the limit']);
      return bad.length ? v : { ...v, actual: `${v.actual}（共调出${total}人）`, actual_en: `${v.actual_en} (${total} leaders leave)` };
    },
  },
  {
    id: 'principal_kept',
    name: '学校不因交流缺校长：每校调入校长数等于调出校长数（校长之间对调或轮换）',
    name_en: 'No school left without its principal: principals coming in equal those leaving, per school (swaps or rotations)',
    clause: '校长交流不得造成学校无校长（本系统规则：方案不任命新校长，故校长只在学校之间对调或轮换）',
    clause_en: 'A principal\'s rotation must not leave a school without one (this system\'s rule: a plan appoints no one, so principals only swap or rotate among schools)',
    constraints: (ctx) =>
      ctx.schools.map((s) => ({
        key: `principal_${s.id}`,
        school: s.id,
        coef: (m: Move) => (isPrincipal(m.teacher) ? leavesHome(m) * ((m.to.id === s.id ? 1 : 0) - (m.from.id === s.id ? 1 : 0)) : 0),
        min: 0,
        max: 0,
      })),
    result: (ctx, sums, moves) => {
      const bad = ctx.schools.flatMap((s, i) => {
        if ((sums[i] ?? 0) === 0) return [];
        const out = moves.filter((m) => isPrincipal(m.teacher) && m.from.id === s.id && leavesHome(m)).length;
        return [{ zh: `${s.id}：调出校长${out}人，调入${out + sums[i]!}人`, en: `${s.id}: ${out} principals leave, ${out + sums[i]!} come in` }];
      });
      const moved = moves.filter((m) => isPrincipal(m.teacher) && leavesHome(m)).length;
      const v = schoolsVerdict(bad, ctx.schools.length, ['每校 调入校长数 = 调出校长数', 'each school: principals in = principals out'], ['不等', 'unequal']);
      return bad.length ? v : { ...v, actual: `${v.actual}（交流校长${moved}人）`, actual_en: `${v.actual_en} (${moved} principals rotate)` };
    },
  },
];

/** The report's leader counts, apart from teachers: moves per role, and leaders among the movers. */
export function leaderCounts(moves: readonly Move[], p: Policy) {
  const of = (role: Teacher['role']) => moves.filter((m) => m.teacher.role === role).length;
  return {
    principal: of('principal'),
    vice_principal: of('vice_principal'),
    middle_manager: of('middle_manager'),
    /** Moves of leaders under the policy (中层 only with leaders.middleManagersAsLeaders). */
    leaders: moves.filter((m) => isLeader(m.teacher, p)).length,
    teachers: moves.filter((m) => !isLeader(m.teacher, p)).length,
  };
}
