// 顶岗培养 (modes.shadow, issue 11 item 3) on hand-made counties where each of its rules decides
// the outcome, then the audit of hand-made plans that break each rule, then a generated county
// with two named teachers end to end (HiGHS, audit, report).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PlanRow, type Policy, type School, type Teacher, defaultPolicy, schoolSchema, teacherSchema } from '../solver/contract/schemas.ts';
import { type Dataset, loadDataset } from '../solver/contract/dataset.ts';
import { formatInputError } from '../solver/contract/input-errors.ts';
import { generateCounty } from '../data/generate.ts';
import { buildCountyContext, isRuralOrWeak } from '../solver/policy/county.ts';
import { gainsSecondSchool } from '../solver/policy/careers.ts';
import { movesMax, rotationBudget, shadowCap } from '../solver/policy/rules.ts';
import { buildModel } from '../solver/model/county-model.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { buildReport } from '../solver/report/report.ts';
import { parsePlanCsv } from '../server/contract-files.ts';
import { highsEngine } from '../server/engine.ts';

const highs = highsEngine();

const school = (over: Partial<School> & { id: string }): School =>
  schoolSchema.parse({ name: `学校${over.id}`, stage: 'primary', locale: 'town', quota: 15, ...over });

/** `n` Chinese teachers at a school; the first `eligible` have the six years that make them rotate. */
const staff = (schoolId: string, n: number, eligible = 0, over: (i: number) => Partial<Teacher> = () => ({})): Teacher[] =>
  Array.from({ length: n }, (_, i) => teacherSchema.parse({
    id: `${schoolId}-${i + 1}`, name: 'x', school_id: schoolId, stage: 'primary', subject: 'chinese', gender: 'F',
    birth_year: 1985, years_at_school: i < eligible ? 8 : 2, ...over(i),
  }));

/**
 * Town school A sends (10 eligible teachers: the budget is ⌈10% × 10⌉ = 1, and it goes to R for the
 * rural bonus); urban U sits at its quota (10/10) and lacks a music teacher; rural R has 10
 * teachers, none eligible, R-2 teaches music and volunteers. No students: no 差异系数 to weigh.
 */
function county(change: (p: Policy) => void, locks: Dataset['locks'] = []): Dataset {
  const policy = defaultPolicy();
  policy.ratios.minBackboneShareOfRotated = 0;
  policy.weights.unfilledNeed = 3; // a host's need pays for a placement (1 + 0.5)
  change(policy);
  return {
    schools: [school({ id: 'A' }), school({ id: 'U', locale: 'urban', quota: 10 }), school({ id: 'R', locale: 'rural' })],
    teachers: [...staff('A', 10, 10), ...staff('U', 10), ...staff('R', 10, 0, (i) => (i === 1 ? { subject: 'music', volunteer: true } : {}))],
    needs: [{ school_id: 'U', stage: 'primary', subject: 'music', required: 1 }],
    preferences: [],
    locks,
    policy,
  };
}
const shadowOn = (teachers: string[] = [], share?: number) => (p: Policy) => {
  p.modes.shadow.allowed = true;
  p.modes.shadow.teachers = teachers;
  if (share !== undefined) p.modes.shadow.maxShareOfRuralTeachers = share;
};

const plan = async (ds: Dataset) => (await planDataset(ds, highs))[0]!;
const ruleOf = (ds: Dataset, rows: PlanRow[], id: string) => auditPlan(ds, rows).counties[0]!.rules.find((r) => r.id === id)!;
const row = (teacher: string, to: string, mode: PlanRow['mode'] = 'transfer'): PlanRow =>
  ({ teacher_id: teacher, from_school_id: teacher.split('-')[0]!, to_school_id: to, mode, reason: '手工' });
const kinds = (p: Awaited<ReturnType<typeof plan>>) => p.moves.map((m) => [m.teacher.id, m.mode, m.to.id]);

describe('顶岗培养 on a hand-made county', () => {
  it('off (the default): the budget\'s one move goes A → R and nobody trains', async () => {
    const p = await plan(county(() => {}));
    expect(kinds(p)).toEqual([['A-1', 'transfer', 'R']]);
  });

  it('shadow_named: a listed teacher not eligible to rotate is placed, outside the budget, at the school without a post free', async () => {
    const ds = county(shadowOn(['R-1']));
    const p = await plan(ds);
    expect(p.status).toBe('optimal');
    // Hosts: A (town) or U (urban), both not weak; U's music need does not concern a Chinese teacher.
    expect(p.moves.find((m) => m.teacher.id === 'R-1')).toMatchObject({ mode: 'shadow' });
    expect(p.moves.filter((m) => m.mode !== 'shadow').map((m) => [m.teacher.id, m.to.id])).toEqual([['A-1', 'R']]);
    const r1 = p.rows.find((r) => r.teacher_id === 'R-1')!;
    expect(r1.reason).toMatch(/^顶岗培养1年（列入顶岗培养名单）：在学校[AU]顶岗任教、培养，编制留在学校R，期满回原校；不计入交流预算/);
    expect(r1.reason).not.toContain('乡村→');
    const audit = auditPlan(ds, p.rows);
    expect(audit.ok).toBe(true);
    const c = audit.counties[0]!;
    expect(c.rules.find((r) => r.id === 'rotation_budget')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(c.rules.find((r) => r.id === 'shadow_named')).toMatchObject({ ok: true, numerator: 1, denominator: 1, actual: '1/1人已安排' });
    expect(c.counts).toMatchObject({ rotated: 2, counted_rotated: 1, toward_rural_or_weak: 1, shadow: { placed: 1, named: 1, named_placed: 1, chosen: 0, chosen_cap: 0 } });
    expect(c.counts.by_mode.find((m) => m.mode === 'shadow')).toEqual({ mode: 'shadow', rotated: 1, backbone: 0, counts_toward_rotation: false });
    // The post stays at R (quota unchanged), the teacher teaches at the host this year and leaves R's outflow.
    const host = c.schools.find((s) => s.school_id === r1.to_school_id)!;
    const home = c.schools.find((s) => s.school_id === 'R')!;
    expect(home).toMatchObject({ outflow: 1, posts_after: 11, teachers_after: 10 }); // R-1 out (post kept), A-1 in with a post
    expect(host.teachers_after - host.teachers_before).toBe(r1.to_school_id === 'U' ? 1 : 0); // A also sends A-1
    expect(host.posts_after).toBe(host.teachers_before - (r1.to_school_id === 'A' ? 1 : 0));
    expect(p.terms.find((t) => t.id === 'shadow_move')!.value).toBeCloseTo(0.5, 12);
    expect(p.terms.find((t) => t.id === 'rural_or_weak')!.value).toBeCloseTo(-0.3, 12); // A-1's only
  });

  it('shadow_share: a placement beyond the list only within ⌊share × rural teachers⌋ — here for U\'s music need', async () => {
    // The default 5% of R's 10 teachers is ⌊0.5⌋ = 0: the volunteer music teacher stays.
    const none = await plan(county(shadowOn()));
    expect(kinds(none)).toEqual([['A-1', 'transfer', 'R']]);
    const ds = county(shadowOn([], 0.1));
    const p = await plan(ds);
    expect(kinds(p)).toEqual([['A-1', 'transfer', 'R'], ['R-2', 'shadow', 'U']]);
    const audit = auditPlan(ds, p.rows);
    expect(audit.ok).toBe(true);
    expect(audit.counties[0]!.rules.find((r) => r.id === 'shadow_share')).toMatchObject({
      ok: true, numerator: 1, denominator: 1, required: '≤ 1人（⌊10% × 乡村和薄弱学校教师10人⌋；名单0人另计）',
    });
    expect(audit.counties[0]!.counts.shadow).toEqual({ placed: 1, named: 0, named_placed: 0, chosen: 1, chosen_cap: 1 });
    expect(p.rows.find((r) => r.teacher_id === 'R-2')!.reason).toContain('补学校U音乐缺口（需1人，原有0人）');
  });

  it('shadow_direction: a teacher at an urban school on the list has no host, and the precheck says so', async () => {
    const p = await plan(county(shadowOn(['U-1'])));
    expect(p.status).toBe('infeasible');
    const c = p.conflicts.find((k) => k.rules[0] === 'shadow_named')!;
    expect(c.rules).toContain('shadow_direction');
    expect(c.message).toBe('顶岗培养名单上的教师U-1无可去学校：受“顶岗培养只从乡村或薄弱学校到城镇非薄弱学校”限制无同学段学校');
  });

  it('a stay lock on a listed teacher is kept: no plan, the conflict named, and the model has no column for them', async () => {
    const ds = county(shadowOn(['R-1']), [{ teacher_id: 'R-1', action: 'stay', reason: '毕业班' }]);
    const p = await plan(ds);
    expect(p.status).toBe('infeasible');
    expect(p.conflicts.map((k) => k.message)).toContain('顶岗培养名单上的教师R-1已锁定留任（毕业班）：须从名单中删去或解除锁定');
    const built = buildModel(buildCountyContext('', ds));
    expect(built.classes.some((c) => c.members.some((t) => t.id === 'R-1'))).toBe(false);
  });

  it('two vice-principals of one school on the list: the precheck names the leaders\' cap', async () => {
    const ds = county(shadowOn(['R-1', 'R-3']));
    ds.teachers = ds.teachers.map((t) => (t.id === 'R-1' || t.id === 'R-3' ? { ...t, role: 'vice_principal' as const } : t));
    const p = await plan(ds);
    expect(p.conflicts).toEqual([{ rules: ['shadow_named', 'leaders_per_school'], message: '学校R（R）顶岗培养名单上有学校领导2人，超过每校每年调出学校领导上限1人', shortBy: 1 }]);
  });

  it('a principal on the list with no principal to take over: the elastic model says who cannot be placed', async () => {
    const ds = county(shadowOn(['R-1']));
    ds.teachers = ds.teachers.map((t) => (t.id === 'R-1' ? { ...t, role: 'principal' as const } : t));
    const p = await plan(ds);
    expect(p.status).toBe('infeasible');
    expect(p.conflicts.map((c) => c.message)).toContain('顶岗培养名单1人中有1人在其他规则下无法安排：可从名单中删去，或放宽与之冲突的规则（流出上限、学校领导的规则等）');
  });

  it('bounds on moves count the placements outside the budget (movesMax), only while 顶岗培养 is on', () => {
    const off = buildCountyContext('', county(() => {}));
    expect([rotationBudget(off).max, shadowCap(off).max, movesMax(off)]).toEqual([1, 0, 1]);
    const on = buildCountyContext('', county(shadowOn(['R-1', 'R-3'], 0.3)));
    expect(shadowCap(on)).toEqual({ named: 2, ruralTeachers: 10, chosen: 3, max: 5 });
    expect(movesMax(on)).toBe(6);
  });

  it('no second-school credit for 顶岗培养 (careers.ts): the same candidate gains it by 支教', () => {
    const p = defaultPolicy();
    const t = teacherSchema.parse({ id: 'x', name: 'x', school_id: 'R', stage: 'primary', subject: 'math', gender: 'F', birth_year: 1985, years_at_school: 8, title: 'first', schools_worked: 1 });
    expect([gainsSecondSchool({ teacher: t, mode: 'support' }, p), gainsSecondSchool({ teacher: t, mode: 'shadow' }, p)]).toEqual([true, false]);
  });
});

describe('顶岗培养 in the audit of hand-made plans', () => {
  const ds = county(shadowOn(['R-1']));

  it('shadow_direction: from an urban school, and into a rural one, each with the schools named', () => {
    const r = ruleOf(ds, [row('A-1', 'R'), row('R-1', 'U', 'shadow'), row('U-1', 'A', 'shadow'), row('R-3', 'R', 'shadow')], 'shadow_direction');
    expect(r).toMatchObject({ ok: false, numerator: 2, denominator: 4 });
    expect(r.details).toEqual([
      '教师U-1从U（城区）到A（镇区）顶岗培养：须从乡村或薄弱学校到城镇非薄弱学校',
      '教师R-3从R（乡村）到R（乡村）顶岗培养：须从乡村或薄弱学校到城镇非薄弱学校',
    ]);
  });

  it('shadow_named: a listed teacher left out, or moved by another kind, with numerator and denominator', () => {
    const left = ruleOf(ds, [row('A-1', 'R')], 'shadow_named');
    expect(left).toMatchObject({ ok: false, numerator: 0, denominator: 1, required: '名单1人全部顶岗培养', actual: '0/1人已安排', details: ['教师R-1未安排顶岗培养'] });
    const other = ruleOf(ds, [row('A-1', 'R'), row('R-1', 'U', 'support')], 'shadow_named');
    expect(other.details).toEqual(['教师R-1未安排顶岗培养（方案为支教）']);
    expect(other.details_en).toEqual(['teacher R-1 is not placed for training (the plan says support)']);
    // Moving the listed teacher by a rotation kind also breaks may_move: the list lifts eligibility for 顶岗培养 only.
    expect(ruleOf(ds, [row('A-1', 'R'), row('R-1', 'U', 'support')], 'may_move').numerator).toBe(1);
  });

  it('shadow_share: placements beyond the list over ⌊5% × 10⌋ = 0, with the numbers; the budget does not count them', () => {
    const rows = [row('A-1', 'R'), row('R-1', 'U', 'shadow'), row('R-2', 'U', 'shadow'), row('R-3', 'A', 'shadow')];
    const r = ruleOf({ ...ds, teachers: ds.teachers.map((t) => (t.id === 'R-3' ? { ...t, volunteer: true } : t)) }, rows, 'shadow_share');
    expect(r).toMatchObject({ ok: false, numerator: 2, denominator: 0, required: '≤ 0人（⌊5% × 乡村和薄弱学校教师10人⌋；名单1人另计）', actual: '2人' });
    expect(ruleOf(ds, rows, 'rotation_budget')).toMatchObject({ ok: true, numerator: 1, denominator: 1 });
  });

  it('mode_allowed: a 顶岗培养 row where the policy allows none; the rules of the list then say 未开启', () => {
    const off = county(() => {});
    expect(ruleOf(off, [row('R-1', 'U', 'shadow')], 'mode_allowed').details).toEqual(['教师R-1以顶岗培养方式交流，政策未允许']);
    expect(ruleOf(off, [row('R-1', 'U', 'shadow')], 'shadow_share')).toMatchObject({ ok: true, required: '未开启' });
  });

  it('plan.csv reads 顶岗培养 and 跟岗 as mode shadow', () => {
    const r = parsePlanCsv('plan.csv', 'teacher_id,from_school_id,to_school_id,mode\nR-1,R,U,顶岗培养\nR-3,R,A,跟岗\n');
    expect(r.ok && r.rows.map((x) => x.mode)).toEqual(['shadow', 'shadow']);
  });

  it('policy.json: an id on the list that is on no roster is an input error naming the key', async () => {
    const tiny = join(import.meta.dirname, 'fixtures', 'tiny');
    const files = readdirSync(tiny).filter((n) => n !== 'policy.json').map((name) => ({ name, content: new Uint8Array(readFileSync(join(tiny, name))) }));
    const policy = '{\n  "modes": {\n    "shadow": { "allowed": true, "teachers": ["0001", "X9"] }\n  }\n}\n';
    const r = await loadDataset([...files, { name: 'policy.json', content: policy }]);
    expect(r.ok ? [] : r.errors.map((e) => formatInputError(e))).toEqual(['policy.json:3: modes.shadow.teachers: 顶岗培养名单中的教师编号“X9”在 teachers.csv 中不存在']);
  });
});

describe('a generated county with 顶岗培养 and two named teachers (issue 11 acceptance)', () => {
  it('plans with HiGHS, passes the audit, places both, keeps every quota and shows 顶岗培养 apart', async () => {
    const base = generateCounty({ teachers: 500, seed: 7 });
    // Named at rural or weak schools of 10 teachers or more (a 教学点 of 2 may send nobody: outflow ⌊20% × 2⌋ = 0).
    const size = (id: string) => base.teachers.filter((t) => t.school_id === id).length;
    const rural = new Set(base.schools.filter((s) => isRuralOrWeak(s) && size(s.id) >= 10).map((s) => s.id));
    // One named teacher eligible to rotate, one not: the list is the county's own choice.
    const at = base.teachers.filter((t) => rural.has(t.school_id) && t.on_establishment && !t.exemption);
    const eligible = at.find((t) => t.years_at_school >= 6 && 2026 - t.birth_year < (t.gender === 'M' ? 50 : 45))!;
    const other = at.find((t) => t.years_at_school < 3 && t.school_id !== eligible.school_id)!;
    const policy = defaultPolicy();
    policy.modes.shadow.allowed = true;
    policy.modes.shadow.teachers = [eligible.id, other.id];
    const ds: Dataset = { ...base, policy };
    const p = await plan(ds);
    expect(p.status).toBe('optimal');
    const shadow = p.moves.filter((m) => m.mode === 'shadow');
    expect(shadow.map((m) => m.teacher.id)).toEqual(expect.arrayContaining([eligible.id, other.id]));
    for (const m of shadow) expect(isRuralOrWeak(m.from) && !isRuralOrWeak(m.to)).toBe(true);
    const report = buildReport(ds, [p]);
    expect(report.audit_ok).toBe(true);
    // Besides the two named, the optimiser chose placements up to ⌊5% × teachers at rural and weak schools⌋.
    const cap = shadowCap(buildCountyContext(p.county, ds));
    expect(report.counts.shadow).toEqual({ placed: shadow.length, named: 2, named_placed: 2, chosen: shadow.length - 2, chosen_cap: cap.chosen });
    expect(shadow.length - 2).toBeLessThanOrEqual(cap.chosen);
    expect(report.counts.by_mode.find((m) => m.mode === 'shadow')!.rotated).toBe(shadow.length);
    // Outside the budget and the 10%: the rotation counts are those of the other moves.
    expect(report.counts.counted_rotated).toBe(p.moves.length - shadow.length);
    expect(report.rules.find((r) => r.id === 'rotation_budget')!.numerator).toBe(p.moves.length - shadow.length);
    expect(report.counts.toward_rural_or_weak).toBe(p.moves.filter((m) => m.mode !== 'shadow' && ((m.to.locale === 'rural' && m.from.locale !== 'rural') || (m.to.weak && !m.from.weak))).length);
    // Quotas: 顶岗培养 moves no post.
    for (const s of report.counts.per_school) {
      const posts = (id: string) => p.moves.filter((m) => m.mode === 'transfer' && m.to.id === id).length - p.moves.filter((m) => m.mode === 'transfer' && m.from.id === id).length;
      expect(s.posts_after).toBe(s.teachers_before + posts(s.school_id));
      expect(s.quota_ok).toBe(true);
    }
  }, 600_000);
});
