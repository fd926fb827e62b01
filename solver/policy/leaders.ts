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
import type { Policy, Teacher } from '../contract/schemas.ts';
import type { CountyRule, Move } from './rules.ts';

export const LEADER_ROLE_ZH: Partial<Record<Teacher['role'], string>> = { principal: '校长', vice_principal: '副校长', middle_manager: '中层干部' };

/** A leader under the policy: principals and vice-principals, and 中层 when the switch is on. */
export const isLeader = (t: Pick<Teacher, 'role'>, p: Policy): boolean =>
  t.role === 'principal' || t.role === 'vice_principal' || (t.role === 'middle_manager' && p.leaders.middleManagersAsLeaders);

const isPrincipal = (t: Pick<Teacher, 'role'>): boolean => t.role === 'principal';

export const leaderRules: CountyRule[] = [
  {
    id: 'leaders_per_school',
    name: '每校每年交流出的学校领导不超过规定人数（默认1人）',
    clause: '政策参数 leaders.maxLeavingPerSchool：保持学校领导班子稳定（教师〔2014〕4号 校长交流）；开启 leaders.middleManagersAsLeaders 时含中层（海盐 中层轮岗）',
    constraints: (ctx) =>
      ctx.schools.map((s) => ({
        key: `leadersout_${s.id}`,
        school: s.id,
        coef: (m: Move) => (m.from.id === s.id && isLeader(m.teacher, ctx.policy) ? 1 : 0),
        max: ctx.policy.leaders.maxLeavingPerSchool,
      })),
    result: (ctx, sums) => {
      const max = ctx.policy.leaders.maxLeavingPerSchool;
      const bad = ctx.schools.flatMap((s, i) => ((sums[i] ?? 0) > max ? [`${s.id}：调出学校领导${sums[i]}人 > ${max}`] : []));
      const total = sums.reduce((a, x) => a + x, 0);
      return { required: `每校 ≤ ${max}人`, actual: bad.length ? `${bad.length}校超限` : `全部符合（共调出${total}人）`, ok: bad.length === 0, numerator: bad.length, denominator: ctx.schools.length, details: bad };
    },
  },
  {
    id: 'principal_kept',
    name: '学校不因交流缺校长：每校调入校长数等于调出校长数（校长之间对调或轮换）',
    clause: '校长交流不得造成学校无校长（本系统规则：方案不任命新校长，故校长只在学校之间对调或轮换）',
    constraints: (ctx) =>
      ctx.schools.map((s) => ({
        key: `principal_${s.id}`,
        school: s.id,
        coef: (m: Move) => (isPrincipal(m.teacher) ? (m.to.id === s.id ? 1 : 0) - (m.from.id === s.id ? 1 : 0) : 0),
        min: 0,
        max: 0,
      })),
    result: (ctx, sums, moves) => {
      const bad = ctx.schools.flatMap((s, i) => {
        if ((sums[i] ?? 0) === 0) return [];
        const out = moves.filter((m) => isPrincipal(m.teacher) && m.from.id === s.id).length;
        return [`${s.id}：调出校长${out}人，调入${out + sums[i]!}人`];
      });
      const moved = moves.filter((m) => isPrincipal(m.teacher)).length;
      return { required: '每校 调入校长数 = 调出校长数', actual: bad.length ? `${bad.length}校不等` : `全部相等（交流校长${moved}人）`, ok: bad.length === 0, numerator: bad.length, denominator: ctx.schools.length, details: bad };
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
