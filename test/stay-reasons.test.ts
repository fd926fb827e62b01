// Every eligible teacher who stays gets a reason with its numbers. The planner is being rewritten,
// so the exact-number cases use hand-made move lists; the real planner only has to leave no
// eligible stayer without a reason.
import { describe, expect, it } from 'vitest';
import { SUBJECT_ZH } from '../solver/contract/labels.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import type { School, Teacher } from '../solver/contract/schemas.ts';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { needKey } from '../solver/policy/needs.ts';
import { type Move, moveAllowed } from '../solver/policy/rules.ts';
import { planDataset } from '../solver/pipeline.ts';
import { stayReasons, stayReasonsOf } from '../solver/report/stay-reasons.ts';
import { highsEngine } from '../server/engine.ts';
import { loadSample } from './helpers/datasets.ts';

const ds = await loadSample('small-county');
const contextOf = (d: Dataset) => buildCountyContext(countiesOf(d)[0]!, d);
const ctx = contextOf(ds);

const staff = (school: string) => ctx.teachers.filter((t) => t.school_id === school).length;
const cap = (school: string) => Math.floor(Number((0.2 * staff(school)).toFixed(9)));
const move = (t: Teacher, to: School): Move => ({ teacher: t, from: ctx.schoolById.get(t.school_id)!, to, mode: 'transfer' });
/** A school the teacher may be sent to under every move rule, other than `avoid`. */
const destination = (t: Teacher, avoid = '') => ctx.schools.find((s) => s.id !== avoid && moveAllowed(ctx, move(t, s)));
/** Teachers who may move, are not locked and have somewhere to go. */
const free = ctx.teachers.filter((t) => ctx.eligibility.get(t.id)!.mayMove && !ctx.locks.some((l) => l.teacher_id === t.id) && destination(t));
const sendAway = (ts: Teacher[], avoid = '') => ts.map((t) => move(t, destination(t, avoid)!));
const reasonOf = (moves: Move[], t: Teacher) => stayReasons(ctx, moves).get(t.id);

/** Whole-teacher need (as the model rounds it) and teachers of the subject at the teacher's school, before any move. */
function subjectCount(t: Teacher): { need: number; have: number } {
  const need = ctx.needs.find((n) => needKey(n.school_id, n.stage, n.subject) === needKey(t.school_id, t.stage, t.subject));
  const have = ctx.teachers.filter((x) => x.school_id === t.school_id && x.stage === t.stage && x.subject === t.subject).length;
  return { need: Math.round(need?.required ?? 0), have };
}

describe('stay reasons, each category with its numbers', () => {
  it('a stay lock gives the planner\'s reason', () => {
    const locked = ctx.locks.filter((l) => l.action === 'stay' && ctx.eligibility.get(l.teacher_id)!.mayMove);
    expect(locked.length).toBeGreaterThan(0);
    const reasons = stayReasons(ctx, []);
    for (const l of locked) expect(reasons.get(l.teacher_id)).toBe(`锁定留任：${l.reason}`);
  });

  it('a school at its outflow cap: the teachers sent and ⌊20% × staff⌋', () => {
    const school = ctx.schools.find((s) => cap(s.id) >= 1 && free.filter((t) => t.school_id === s.id).length > cap(s.id))!;
    const [stayer, ...others] = free.filter((t) => t.school_id === school.id);
    const moves = sendAway(others.slice(0, cap(school.id)));
    expect(reasonOf(moves, stayer!)).toBe(`本校流出已达上限（已调出${cap(school.id)}人 = ⌊20% × ${staff(school.id)}⌋）`);
    expect(reasonOf(moves.slice(1), stayer!)).not.toMatch(/^本校流出/);
  });

  it('a school whose cap is zero: nobody can leave it', () => {
    const t = free.find((x) => cap(x.school_id) === 0)!;
    expect(reasonOf([], t)).toBe(`本校流出上限为0人（⌊20% × ${staff(t.school_id)}⌋），不能调出`);
  });

  it('an origin need: leaving would open a gap in the subject, counted after the plan\'s moves', () => {
    const underCap = free.filter((t) => cap(t.school_id) >= 2);
    const colleagueOf = (t: Teacher) => underCap.find((u) => u !== t && u.school_id === t.school_id && u.stage === t.stage && u.subject === t.subject);
    const subject = (t: Teacher) => SUBJECT_ZH[t.subject];
    // Exactly as many teachers of the subject as needed: any departure opens a gap; one colleague gone, the gap is there.
    const exact = underCap.find((t) => subjectCount(t).have === subjectCount(t).need && colleagueOf(t))!;
    const { need } = subjectCount(exact);
    expect(reasonOf([], exact)).toBe(`留任：本校${subject(exact)}教师刚好够用，调出会新增缺口（需${need}人，交流后现有${need}人）`);
    expect(reasonOf(sendAway([colleagueOf(exact)!]), exact)).toBe(`留任：本校${subject(exact)}缺口，调出会新增缺口（需${need}人，交流后现有${need - 1}人）`);
    // One spare teacher of the subject: free to go until a colleague of the subject leaves.
    const spare = underCap.find((t) => subjectCount(t).have === subjectCount(t).need + 1 && colleagueOf(t))!;
    const s = subjectCount(spare);
    expect(reasonOf([], spare)).not.toMatch(/^留任/);
    expect(reasonOf(sendAway([colleagueOf(spare)!]), spare)).toBe(`留任：本校${subject(spare)}教师刚好够用，调出会新增缺口（需${s.need}人，交流后现有${s.need}人）`);
  });

  it('budget full: the plan already rotates ⌈10% × eligible⌉; one fewer leaves room and says so', () => {
    const budget = Math.ceil(Number((0.1 * ctx.eligibleCount).toFixed(9)));
    const t = free.find((x) => cap(x.school_id) >= 1 && subjectCount(x).have > subjectCount(x).need)!;
    const moves = sendAway(free.filter((x) => x.school_id !== t.school_id).slice(0, budget), t.school_id);
    expect(moves).toHaveLength(budget);
    expect(reasonOf(moves, t)).toBe(`名额已满：本次只需交流${budget}人（交流预算⌈10% × ${ctx.eligibleCount}⌉）`);
    expect(reasonOf(moves.slice(1), t)).toBe('未选中：再调出此人不能进一步改善均衡或补缺（预算内还可多交流1人）');
  });

  it('a raised budget is quoted by its own share', () => {
    const raised = contextOf({ ...ds, policy: { ...ds.policy, ratios: { ...ds.policy.ratios, maxRotatedShareOfEligible: 0.15 } } });
    const budget = Math.ceil(Number((0.15 * ctx.eligibleCount).toFixed(9)));
    const t = free.find((x) => cap(x.school_id) >= 1 && subjectCount(x).have > subjectCount(x).need)!;
    const moves = sendAway(free.filter((x) => x.school_id !== t.school_id).slice(0, budget), t.school_id);
    expect(stayReasons(raised, moves).get(t.id)).toBe(`名额已满：本次只需交流${budget}人（交流预算⌈15% × ${ctx.eligibleCount}⌉）`);
  });

  it('no destination: names the rule that leaves none (commute limit, rural/weak only)', () => {
    const near = contextOf({ ...ds, policy: { ...ds.policy, limits: { ...ds.policy.limits, maxCommuteKm: 0.5 } } });
    expect(stayReasons(near, []).get(free[0]!.id)).toBe('无可去学校：通勤上限0.5公里内无同学段学校');
    // Junior teachers: the county's other junior schools are urban, town, and a rural nine-year school.
    const rural = contextOf({ ...ds, policy: { ...ds.policy, flows: { ...ds.policy.flows, towardRuralOrWeakOnly: true } } });
    const nineYear = free.find((t) => t.stage === 'junior' && t.school_id === 'S013')!;
    expect(stayReasons(rural, []).get(nineYear.id)).toBe('无可去学校：只向乡村或薄弱学校交流，县内无同学段的乡村或薄弱学校');
  });

  it('gives no reason to teachers who moved or may not move', () => {
    const moves = sendAway(free.slice(0, 3));
    const reasons = stayReasons(ctx, moves);
    for (const m of moves) expect(reasons.has(m.teacher.id)).toBe(false);
    for (const t of ctx.teachers.filter((x) => !ctx.eligibility.get(x.id)!.mayMove)) expect(reasons.has(t.id)).toBe(false);
  });
});

describe('with the real planner', () => {
  it('every eligible teacher (and volunteer) who stays has a non-empty reason', async () => {
    const plans = await planDataset(ds, highsEngine());
    const reasons = stayReasonsOf(ds, plans);
    const moved = new Set(plans.flatMap((p) => p.moves.map((m) => m.teacher.id)));
    const stayers = ctx.teachers.filter((t) => ctx.eligibility.get(t.id)!.mayMove && !moved.has(t.id)).map((t) => t.id);
    expect(stayers.length).toBeGreaterThan(0);
    expect(Object.keys(reasons).sort()).toEqual(stayers.sort());
    for (const id of stayers) expect(reasons[id]).toMatch(/\S/);
  }, 60_000);
});
