// 走教 to several schools (policy.modes.itinerant.maxSchools) on a hand-made county where the
// second served school decides the outcome: B and D, both in A's 学区 and 5 km away, each lack a
// PE teacher; the budget moves one teacher. At a quarter post per school and two schools, A's PE
// teacher serves both; with one school, one of them stays short. Then the audit of hand-made plans.
import { describe, expect, it } from 'vitest';
import { type PlanRow, type Policy, type School, type Teacher, defaultPolicy, policySchema, schoolSchema, teacherSchema } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { planCounty, planDataset } from '../solver/pipeline.ts';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { buildModel } from '../solver/model/county-model.ts';
import { startFromPlan } from '../solver/model/warm-start.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { planCsvText } from '../solver/report/plan-rows.ts';
import { highsEngine } from '../server/engine.ts';
import { diffPlans } from '../server/compare.ts';

const highs = highsEngine();

const at = (id: string, lat: number, cluster: string): School =>
  schoolSchema.parse({ id, name: `学校${id}`, stage: 'primary', locale: 'town', quota: 10, cluster, lat, lon: 112 });
// B 5 km north of A, D 5 km south, C 30 km away in another 学区; every school at quota, so no transfer fits.
const schools = [at('A', 30, '东'), at('B', 30.045, '东'), at('C', 30.27, '西'), at('D', 29.955, '东')];

/** Ten teachers a school; A's are eligible and teach PE. B and D each need one PE teacher. */
function itinerantCounty(change: (p: Policy) => void = () => {}): Dataset {
  const policy = defaultPolicy();
  policy.ratios.minBackboneShareOfRotated = 0;
  policy.modes.itinerant.allowed = true;
  policy.modes.itinerant.fte = 0.25;
  policy.modes.itinerant.maxSchools = 2;
  change(policy);
  const teachers = schools.flatMap((s) => Array.from({ length: 10 }, (_, i): Teacher => teacherSchema.parse({
    id: `${s.id}-${i + 1}`, name: 'x', school_id: s.id, stage: 'primary', subject: s.id === 'A' && i < 2 ? 'pe' : 'chinese', gender: 'F',
    birth_year: 1985, years_at_school: s.id === 'A' ? 8 : 2,
  })));
  const needs = ['B', 'D'].map((id) => ({ school_id: id, stage: 'primary' as const, subject: 'pe' as const, required: 1 }));
  return { schools, teachers, needs, preferences: [], locks: [], policy };
}

const plan = async (ds: Dataset) => (await planDataset(ds, highs))[0]!;
const row = (to: string, fte?: number, mode: PlanRow['mode'] = 'itinerant'): PlanRow =>
  ({ teacher_id: 'A-1', from_school_id: 'A', to_school_id: to, mode, reason: '手工', ...(fte === undefined ? {} : { fte }) });
const ruleOf = (ds: Dataset, rows: PlanRow[], id: string) => auditPlan(ds, rows).counties[0]!.rules.find((r) => r.id === id)!;

describe('走教 to several schools (modes.itinerant.maxSchools)', () => {
  it('with two schools a quarter post each, one PE teacher serves both B and D; the audit passes and counts both fractions', async () => {
    const ds = itinerantCounty();
    const p = await plan(ds);
    expect(p.status).toBe('optimal');
    expect(p.moves.map((m) => [m.teacher.subject, m.mode, [m.to, ...(m.also ?? [])].map((s) => s.id), m.fte])).toEqual([['pe', 'itinerant', ['B', 'D'], 0.25]]);
    const teacher = p.moves[0]!.teacher.id;
    expect(p.rows.map((r) => [r.teacher_id, r.mode, r.to_school_id, r.fte])).toEqual([[teacher, 'itinerant', 'B', 0.25], [teacher, 'itinerant', 'D', 0.25]]);
    expect(p.rows[0]!.reason).toContain('走教：0.25个岗位在学校B、0.25个岗位在学校D任教体育与健康，编制和其余课时留在学校A');
    const csv = planCsvText(p.rows).split('\n');
    expect(csv[0]).toBe('teacher_id,from_school_id,to_school_id,mode,stage,subject,backbone,reason,fte');
    expect(csv.filter((l) => l.startsWith(`${teacher},A,`)).map((l) => l.split(',').at(-1))).toEqual(['0.25', '0.25']);

    const audit = auditPlan(ds, p.rows);
    expect(audit.integrity.ok).toBe(true);
    expect(audit.ok).toBe(true);
    const c = audit.counties[0]!;
    expect(c.rules.find((r) => r.id === 'itinerant_schools')).toMatchObject({ ok: true, numerator: 0, denominator: 1 });
    // One teacher, counted once; half a post served, a quarter at each school.
    expect(c.counts).toMatchObject({ rotated: 1, counted_rotated: 1, transfers: 0, itinerant_fte: 0.5, within_cluster: 1, cross_cluster: 0 });
    const flow = (id: string) => c.schools.find((s) => s.school_id === id)!;
    expect(flow('A')).toMatchObject({ outflow: 0, teachers_after: 9.5, posts_after: 10 });
    expect(flow('B')).toMatchObject({ inflow: 1, teachers_after: 10.25, posts_after: 10 });
    expect(flow('D')).toMatchObject({ inflow: 1, teachers_after: 10.25, posts_after: 10 });
    expect(flow('C')).toMatchObject({ inflow: 0, teachers_after: 10 });
    const peArt = (rows: typeof c.indicators.after, id: string) => rows.find((r) => r.school_id === id)!.peArt;
    expect(['A', 'B', 'D'].map((id) => peArt(c.indicators.after, id))).toEqual([1.5, 0.25, 0.25]);
    expect(peArt(c.indicators.before, 'A')).toBe(2);
  });

  it('with one school (maxSchools 1, today\'s behaviour) the teacher serves B or D, and the other stays short', async () => {
    const ds = itinerantCounty((p) => (p.modes.itinerant.maxSchools = 1));
    const p = await plan(ds);
    expect(p.status).toBe('optimal');
    expect(p.moves).toHaveLength(1);
    expect(p.moves[0]!.also ?? []).toEqual([]);
    expect(p.rows).toHaveLength(1);
    expect(['B', 'D']).toContain(p.rows[0]!.to_school_id);
    const c = auditPlan(ds, p.rows).counties[0]!;
    expect(c.counts.itinerant_fte).toBe(0.25);
    // Two schools a quarter each buy more than one: the objective says so.
    const two = await plan(itinerantCounty());
    expect(two.objective!).toBeLessThan(p.objective!);
  });

  it('audit: three schools where the policy allows two, and a second school 30 km away outside the 学区, each break their rule', () => {
    const ds = itinerantCounty();
    const three = ruleOf(ds, [row('B'), row('D'), row('C')], 'itinerant_schools');
    expect(three).toMatchObject({ ok: false, numerator: 1, denominator: 1 });
    expect(three.details).toEqual(['教师A-1走教3所学校（B、D、C），上限2所']);
    expect(three.details_en).toEqual(['teacher A-1 serves 3 schools (B, D, C); the limit is 2']);
    const far = [row('B'), row('C')];
    const distance = ruleOf(ds, far, 'itinerant_distance');
    expect(distance).toMatchObject({ ok: false, numerator: 1, denominator: 1 });
    // The finding names the far school, not B.
    expect(distance.details![0]).toMatch(/^教师A-1从A走教到C相距30\.\d公里>15$/);
    expect(ruleOf(ds, far, 'itinerant_cluster').details).toEqual(['教师A-1从A（学区东）走教到学区外的C']);
    expect(ruleOf(ds, far, 'itinerant_schools').ok).toBe(true);
    expect(ruleOf(ds, [row('B'), row('B')], 'itinerant_schools').details).toEqual(['教师A-1走教学校B重复']);
  });

  it('audit: a 走教 row beside a transfer of the same teacher, or at another share, is a plan integrity problem', () => {
    const ds = itinerantCounty();
    const mixed = auditPlan(ds, [row('B'), row('D', undefined, 'transfer')]);
    expect(mixed.integrity.details).toEqual(['plan.csv:3: 教师A-1在方案中出现多次（首次在第2行）']);
    const shares = auditPlan(ds, [row('B', 0.25), row('D', 0.2)]);
    expect(shares.integrity.details).toEqual(['plan.csv:3: 教师A-1走教份额0.2与第2行（0.25）不同']);
    // Two rows at the policy's share are one move: no integrity problem.
    expect(auditPlan(ds, [row('B'), row('D')]).integrity.ok).toBe(true);
  });

  it('a re-plan against the two-school plan keeps it: the baseline is the set of schools, and the start is its one column', async () => {
    const ds = itinerantCounty();
    const first = await plan(ds);
    const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
    const again = await planCounty(ctx, highs, { baseline: first.rows, start: first.rows });
    expect(again.rows.map((r) => [r.teacher_id, r.to_school_id])).toEqual(first.rows.map((r) => [r.teacher_id, r.to_school_id]));
    expect(again.baselineChanges).toBe(0);
    expect(again.terms.find((t) => t.id === 'baseline_change')!.value).toBe(0);
    expect(again.rows[0]!.reason).toContain('保持基准方案安排');
    // The two rows are one column of the model: the previous plan is a start the engine can take.
    expect(startFromPlan(buildModel(ctx, { baseline: first.rows }), first.rows)).not.toBeNull();
  });

  it('comparing two plans, a 走教 teacher is one teacher with the set of schools served', () => {
    const same = diffPlans([row('B'), row('D')], [row('D'), row('B')]);
    expect(same).toEqual({ same: 1, rows: [] });
    expect(diffPlans([row('B'), row('D')], [row('B')]).rows).toEqual([
      { teacher_id: 'A-1', from_school_id: 'A', a_to_school_id: 'B+D', b_to_school_id: 'B', change: 'different_destination' },
    ]);
  });

  it('the policy keeps the teacher at home: maxSchools × fte must stay below 1', () => {
    const policy = (maxSchools: number) => policySchema.safeParse({ modes: { itinerant: { fte: 0.25, maxSchools } } });
    expect(policy(3).success).toBe(true);
    expect(policy(4).success).toBe(false);
    expect(policySchema.parse({}).modes.itinerant.maxSchools).toBe(1);
  });
});
