// Issue 11 items 1 and 4 on hand-made counties where the new rule decides the outcome:
// 支教 (support) keeps the post at home, so it is the way into a school at quota and a transfer
// is chosen where both keep every rule; 学区/集团 (flows.cluster) steers moves by a priced term
// ('prefer') or a hard rule ('only'). Then the audit on hand-made plans that break each rule.
import { describe, expect, it } from 'vitest';
import { type PlanRow, type Policy, type School, type Teacher, defaultPolicy, schoolSchema, teacherSchema } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { generateCounty } from '../data/generate.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { planCsvText } from '../solver/report/plan-rows.ts';
import { highsEngine } from '../server/engine.ts';

const highs = highsEngine();

const school = (over: Partial<School> & { id: string }): School =>
  schoolSchema.parse({ name: `学校${over.id}`, stage: 'primary', locale: 'town', ...over });

/** `n` teachers at a school; `eligible` of them have served the six years that make them rotate. */
function staff(schoolId: string, n: number, eligible = 0): Teacher[] {
  return Array.from({ length: n }, (_, i) =>
    teacherSchema.parse({
      id: `${schoolId}-${i + 1}`, name: 'x', school_id: schoolId, stage: 'primary', subject: 'chinese', gender: 'F',
      birth_year: 1985, years_at_school: i < eligible ? 8 : 2,
    }),
  );
}

/** One county: school A sends (10 teachers, all eligible), the others receive (10 teachers, none eligible). */
function county(schools: School[], change: (p: Policy) => void): Dataset {
  const policy = defaultPolicy();
  policy.ratios.minBackboneShareOfRotated = 0; // nobody here is a backbone teacher
  change(policy);
  const teachers = schools.flatMap((s) => staff(s.id, 10, s.id === 'A' ? 10 : 0));
  return { schools, teachers, preferences: [], locks: [], policy };
}

const plan = async (ds: Dataset) => (await planDataset(ds, highs))[0]!;
const ruleOf = (ds: Dataset, rows: PlanRow[], id: string) => auditPlan(ds, rows).counties[0]!.rules.find((r) => r.id === id)!;
const row = (teacher: string, to: string, mode: PlanRow['mode'] = 'transfer'): PlanRow =>
  ({ teacher_id: teacher, from_school_id: teacher.split('-')[0]!, to_school_id: to, mode, reason: '手工' });

describe('支教 (modes.support): the post stays at home', () => {
  // B is at quota: a transfer into it breaks the quota rule; A has no quota room for anyone coming back.
  const full = [school({ id: 'A', quota: 10 }), school({ id: 'B', quota: 10 })];

  it('with transfers only, a county whose every destination is at quota has no plan', async () => {
    const p = await plan(county(full, () => {}));
    expect(p.status).toBe('infeasible');
  });

  it('with 支教 allowed, the minimum rotation goes as 支教 into the full school, and the audit passes', async () => {
    const ds = county(full, (p) => (p.modes.support.allowed = true));
    const p = await plan(ds);
    expect(p.status).toBe('optimal');
    expect(p.moves.length).toBe(1); // ⌈0.1 × 10⌉
    expect(p.moves.map((m) => [m.mode, m.to.id])).toEqual([['support', 'B']]);
    expect(p.rows[0]!.reason).toContain('支教1年，编制留在学校A');
    expect(p.rows[0]!.reason).toContain('学校B编制已满（10/10）');
    const audit = auditPlan(ds, p.rows);
    expect(audit.ok).toBe(true);
    const b = audit.counties[0]!.schools.find((s) => s.school_id === 'B')!;
    // Teaching at B this year (the indicators count the teacher there), the post still at A.
    expect(b).toMatchObject({ teachers_before: 10, inflow: 1, teachers_after: 11, posts_after: 10, quota_ok: true });
    expect(audit.counties[0]!.counts.by_mode.find((m) => m.mode === 'support')!.rotated).toBe(1);
    expect(audit.counties[0]!.counts.transfers).toBe(0);
  });

  it('where a transfer keeps every rule too, the optimiser transfers (weights.supportMove prices 支教)', async () => {
    const roomy = [school({ id: 'A', quota: 10 }), school({ id: 'B', quota: 15 })];
    const p = await plan(county(roomy, (p) => (p.modes.support.allowed = true)));
    expect(p.moves.map((m) => m.mode)).toEqual(['transfer']);
    expect(p.terms.find((t) => t.id === 'support_move')!.value).toBe(0);
  });

  it('with transfers switched off and 支教 on, every move is 支教 (modes.transfer.allowed)', async () => {
    const roomy = [school({ id: 'A', quota: 10 }), school({ id: 'B', quota: 15 })];
    const p = await plan(county(roomy, (p) => {
      p.modes.support.allowed = true;
      p.modes.transfer.allowed = false;
    }));
    expect(p.moves.map((m) => m.mode)).toEqual(['support']);
    expect(p.terms.find((t) => t.id === 'support_move')!.value).toBeCloseTo(0.5, 12);
  });

  it('audit: a 支教 row where the policy allows none breaks mode_allowed, with its count', () => {
    const ds = county(full, () => {});
    const r = ruleOf(ds, [row('A-1', 'B', 'support')], 'mode_allowed');
    expect(r).toMatchObject({ ok: false, numerator: 1, denominator: 1 });
    expect(r.details).toEqual(['教师A-1以支教方式交流，政策未允许']);
  });

  it('audit: quota counts posts — a transfer into the full school breaks it with the numbers, 支教 does not', () => {
    const ds = county(full, (p) => (p.modes.support.allowed = true));
    const broken = ruleOf(ds, [row('A-1', 'B')], 'quota');
    expect(broken.ok).toBe(false);
    expect(broken.details).toEqual(['B：带编调动后11人 > 编制10']);
    expect(ruleOf(ds, [row('A-1', 'B', 'support')], 'quota').ok).toBe(true);
    // The outflow cap counts both kinds: ⌊0.2 × 10⌋ = 2 may leave A, whatever the kind.
    const out = ruleOf(ds, [row('A-1', 'B', 'support'), row('A-2', 'B', 'support'), row('A-3', 'B')], 'outflow_cap');
    expect(out.details).toEqual(['A：流出3人 > ⌊20% × 10⌋ = 2']);
  });
});

describe('学区/集团 (flows.cluster)', () => {
  // From A (cluster 东) the rural school C (cluster 西) earns the rural bonus; B is in A's cluster.
  const schools = [
    school({ id: 'A', quota: 10, cluster: '东' }),
    school({ id: 'B', quota: 15, cluster: '东' }),
    school({ id: 'C', quota: 15, cluster: '西', locale: 'rural' }),
  ];

  it('off: the move goes to the rural school in the other cluster', async () => {
    const p = await plan(county(schools, () => {}));
    expect(p.moves.map((m) => m.to.id)).toEqual(['C']);
  });

  it('prefer: a cost for leaving the cluster larger than the rural bonus keeps the move inside it', async () => {
    const ds = county(schools, (p) => {
      p.flows.cluster = 'prefer';
      p.weights.leaveCluster = 0.5;
    });
    const p = await plan(ds);
    expect(p.moves.map((m) => m.to.id)).toEqual(['B']);
    expect(p.rows[0]!.reason).toContain('学区/集团内交流（东）');
    expect(auditPlan(ds, p.rows).counties[0]!.counts).toMatchObject({ within_cluster: 1, cross_cluster: 0 });
  });

  it('prefer: a smaller cost leaves the rural move, priced and said in the reason', async () => {
    const ds = county(schools, (p) => {
      p.flows.cluster = 'prefer';
      p.weights.leaveCluster = 0.1;
    });
    const p = await plan(ds);
    expect(p.moves.map((m) => m.to.id)).toEqual(['C']);
    expect(p.terms.find((t) => t.id === 'leave_cluster')!.value).toBeCloseTo(0.1, 12);
    expect(p.rows[0]!.reason).toContain('跨出学区/集团（东→西）');
    expect(auditPlan(ds, p.rows).counties[0]!.counts).toMatchObject({ within_cluster: 0, cross_cluster: 1 });
  });

  it('only: the move stays inside the cluster whatever the bonus', async () => {
    const ds = county(schools, (p) => {
      p.flows.cluster = 'only';
      p.weights.ruralOrWeakBonus = 10;
    });
    const p = await plan(ds);
    expect(p.moves.map((m) => m.to.id)).toEqual(['B']);
    expect(auditPlan(ds, p.rows).ok).toBe(true);
  });

  it('only: with no other school of the stage in the cluster there is no plan, and the precheck names the rule', async () => {
    const p = await plan(county(schools.filter((s) => s.id !== 'B'), (p) => (p.flows.cluster = 'only')));
    expect(p.status).toBe('infeasible');
    expect(p.conflicts.flatMap((c) => c.rules)).toContain('same_cluster');
  });

  it('audit: a move across clusters under "only" breaks same_cluster, with its count', () => {
    const ds = county(schools, (p) => (p.flows.cluster = 'only'));
    const r = ruleOf(ds, [row('A-1', 'C'), row('A-2', 'B')], 'same_cluster');
    expect(r).toMatchObject({ ok: false, numerator: 1, denominator: 2 });
    expect(r.details).toEqual(['教师A-1从A（学区东）到C（学区西），跨出学区']);
  });
});

/** A generated county under `policy` with the schools `pick` chooses exactly at quota (posts = staff). */
function generatedAtQuota(base: ReturnType<typeof generateCounty>, policy: Policy, pick: (i: number) => boolean): Dataset {
  const staffOf = new Map<string, number>();
  for (const t of base.teachers) staffOf.set(t.school_id, (staffOf.get(t.school_id) ?? 0) + 1);
  return { ...base, policy, schools: base.schools.map((s, i) => (pick(i) ? { ...s, quota: staffOf.get(s.id) ?? 0 } : s)) };
}

describe('a generated county with 支教 and 学区 on (issue 11 acceptance)', () => {
  it('plans both kinds, passes the audit; the indicators count 支教 teachers at the destination, the quota only transfers', async () => {
    const policy = defaultPolicy();
    policy.modes.support.allowed = true;
    policy.modes.support.termYears = 3;
    policy.flows.cluster = 'prefer';
    // Every other school exactly at quota: a transfer into it needs one out, 支教 does not.
    const ds = generatedAtQuota(generateCounty({ teachers: 1000, seed: 11 }), policy, (i) => i % 2 === 0);
    const p = await plan(ds);
    expect(p.status).toBe('optimal');
    const audit = auditPlan(ds, p.rows);
    expect(audit.ok).toBe(true);
    const c = audit.counties[0]!;
    const support = p.moves.filter((m) => m.mode === 'support');
    expect(support.length).toBeGreaterThan(0);
    expect(p.moves.some((m) => m.mode === 'transfer')).toBe(true);
    expect(c.counts.within_cluster + c.counts.cross_cluster).toBe(p.moves.length);
    for (const m of support) expect(p.rows.find((r) => r.teacher_id === m.teacher.id)!.reason).toContain('支教3年');
    for (const s of c.schools) {
      const into = p.moves.filter((m) => m.to.id === s.school_id);
      const out = p.moves.filter((m) => m.from.id === s.school_id);
      const posts = (ms: typeof into) => ms.filter((m) => m.mode === 'transfer').length;
      // Teaching staff follows every move; posts (the quota rule) only transfers.
      expect(s.teachers_after).toBe(s.teachers_before + into.length - out.length);
      expect(s.posts_after).toBe(s.teachers_before + posts(into) - posts(out));
      // The indicators: the destination's stage row counts its 支教 teachers (as teachers here this year).
      for (const stage of ['primary', 'junior'] as const) {
        const before = c.indicators.before.find((r) => r.school_id === s.school_id && r.stage === stage);
        const after = c.indicators.after.find((r) => r.school_id === s.school_id && r.stage === stage);
        if (!before || !after) continue;
        const net = into.filter((m) => m.teacher.stage === stage).length - out.filter((m) => m.teacher.stage === stage).length;
        expect(after.teachers - before.teachers).toBe(net);
      }
    }
  }, 600_000);
});

describe('走教 (modes.itinerant): a shortage-subject teacher serves a nearby school part-time', () => {
  // A and B are 5 km apart in one 学区, C 30 km away in another; every school at quota, so no transfer fits.
  const at = (id: string, lat: number, cluster: string) => school({ id, quota: 10, cluster, lat, lon: 112 });
  const schools = [at('A', 30, '东'), at('B', 30.045, '东'), at('C', 30.27, '西')];
  /** A's 10 teachers are eligible: teach PE (a 走教 subject), the others Chinese. */
  const itinerantCounty = (change: (p: Policy) => void): Dataset => {
    const ds = county(schools, (p) => {
      p.modes.itinerant.allowed = true;
      change(p);
    });
    return { ...ds, teachers: ds.teachers.map((t) => (t.id === 'A-1' || t.id === 'A-2' ? { ...t, subject: 'pe' as const } : t)) };
  };

  it('without 走教 a county whose every school is at quota has no plan', async () => {
    expect((await plan(itinerantCounty((p) => (p.modes.itinerant.allowed = false)))).status).toBe('infeasible');
  });

  it('with 走教, a PE teacher serves half a post at the school in the 学区; the indicators count the half', async () => {
    const ds = itinerantCounty(() => {});
    const p = await plan(ds);
    expect(p.status).toBe('optimal');
    expect(p.moves.map((m) => [m.teacher.subject, m.mode, m.to.id, m.fte])).toEqual([['pe', 'itinerant', 'B', 0.5]]);
    expect(p.rows[0]).toMatchObject({ mode: 'itinerant', to_school_id: 'B', fte: 0.5 });
    expect(p.rows[0]!.reason).toContain('走教：0.5个岗位在学校B任教体育与健康，编制和其余课时留在学校A');
    expect(planCsvText(p.rows).split('\n')[0]).toBe('teacher_id,from_school_id,to_school_id,mode,stage,subject,backbone,reason,fte');
    const audit = auditPlan(ds, p.rows);
    expect(audit.ok).toBe(true);
    const c = audit.counties[0]!;
    const flow = (id: string) => c.schools.find((s) => s.school_id === id)!;
    // Home keeps the post and counts the teacher's other half; B counts the half it is served.
    expect(flow('A')).toMatchObject({ outflow: 0, teachers_after: 9.5, posts_after: 10 });
    expect(flow('B')).toMatchObject({ inflow: 1, teachers_after: 10.5, posts_after: 10 });
    const peArt = (rows: typeof c.indicators.after, id: string) => rows.find((r) => r.school_id === id)!.peArt;
    expect([peArt(c.indicators.before, 'A'), peArt(c.indicators.after, 'A'), peArt(c.indicators.after, 'B')]).toEqual([2, 1.5, 0.5]);
    expect(c.counts).toMatchObject({ itinerant_fte: 0.5, counted_rotated: 1, transfers: 0 });
  });

  it('only where short (modes.itinerant.onlyWhereShort): B lacks no PE teacher, so no plan; once B needs two, A-1 serves it', async () => {
    const onlyShort = itinerantCounty((p) => (p.modes.itinerant.onlyWhereShort = true));
    expect((await plan(onlyShort)).status).toBe('infeasible');
    const bNeedsPe = { ...onlyShort, needs: [{ school_id: 'B', stage: 'primary' as const, subject: 'pe' as const, required: 2 }] };
    const p = await plan(bNeedsPe);
    expect(p.status).toBe('optimal');
    expect(p.moves.map((m) => [m.teacher.subject, m.mode, m.to.id])).toEqual([['pe', 'itinerant', 'B']]);
    expect(auditPlan(bNeedsPe, p.rows).ok).toBe(true);
    const broken = ruleOf(onlyShort, [row('A-1', 'B', 'itinerant')], 'itinerant_shortage');
    expect(broken).toMatchObject({ ok: false, numerator: 1, denominator: 1 });
    expect(broken.details).toEqual(['教师A-1走教到B，该校小学体育与健康交流前不缺员']);
  });

  it('beyond the travel limit there is no plan (modes.itinerant.maxKm)', async () => {
    expect((await plan(itinerantCounty((p) => (p.modes.itinerant.maxKm = 3)))).status).toBe('infeasible');
  });

  it('audit: a 走教 row of a Chinese teacher, one to a far school outside the 学区, and a share off the policy each break their rule', () => {
    const ds = itinerantCounty(() => {});
    const subject = ruleOf(ds, [row('A-3', 'B', 'itinerant')], 'itinerant_subject');
    expect(subject).toMatchObject({ ok: false, numerator: 1, denominator: 1 });
    expect(subject.details![0]).toContain('教师A-3任教语文，不在走教学科（道德与法治、科学、体育与健康、音乐、美术、心理健康）之内');
    const far = [row('A-1', 'C', 'itinerant')];
    const distance = ruleOf(ds, far, 'itinerant_distance');
    expect(distance.ok).toBe(false);
    expect(distance.details![0]).toMatch(/^教师A-1从A走教到C相距30\.\d公里>15$/);
    expect(ruleOf(ds, far, 'itinerant_cluster').details).toEqual(['教师A-1从A（学区东）走教到学区外的C']);
    const share = ruleOf(ds, [{ ...row('A-1', 'B', 'itinerant'), fte: 0.25 }], 'itinerant_share');
    expect(share.details).toEqual(['教师A-1走教份额0.25，政策为0.5']);
    // A share belongs to 走教 rows only.
    expect(auditPlan(ds, [{ ...row('A-1', 'B'), fte: 0.5 }]).integrity.details![0]).toContain('只有走教行可填份额 fte');
  });
});

describe('a generated county with 支教 and 走教 (issue 11 acceptance)', () => {
  it('plans 走教 beside 支教, passes the audit, and counts FTE shares in the indicators and the report', async () => {
    const policy = defaultPolicy();
    policy.modes.itinerant.allowed = true;
    policy.modes.itinerant.maxKm = 25;
    // This year only 支教 and 走教, every school at quota and a tight outflow cap (4.5%: one teacher
    // from a school of 23 or more): a 走教 teacher stays at home, so the cap does not count them.
    policy.modes.transfer.allowed = false;
    policy.modes.support.allowed = true;
    policy.limits.maxOutflowShareOfSchool = 0.045;
    const ds = generatedAtQuota(generateCounty({ teachers: 500, seed: 3 }), policy, () => true);
    const p = await plan(ds);
    expect(p.status).toBe('optimal');
    const audit = auditPlan(ds, p.rows);
    expect(audit.ok).toBe(true);
    const c = audit.counties[0]!;
    const itinerant = p.moves.filter((m) => m.mode === 'itinerant');
    expect(itinerant.length).toBeGreaterThan(0);
    expect(p.moves.some((m) => m.mode === 'support')).toBe(true);
    expect(c.counts.itinerant_fte).toBeCloseTo(0.5 * itinerant.length, 12);
    for (const s of c.schools) {
      const share = (m: (typeof p.moves)[number]) => (m.mode === 'itinerant' ? m.fte! : 1);
      const net = p.moves.reduce((a, m) => a + share(m) * ((m.to.id === s.school_id ? 1 : 0) - (m.from.id === s.school_id ? 1 : 0)), 0);
      expect(s.teachers_after).toBeCloseTo(s.teachers_before + net, 12);
      expect(s.posts_after).toBe(s.teachers_before); // no transfers: every post stays
      for (const stage of ['primary', 'junior'] as const) {
        const before = c.indicators.before.find((r) => r.school_id === s.school_id && r.stage === stage);
        const after = c.indicators.after.find((r) => r.school_id === s.school_id && r.stage === stage);
        if (!before || !after) continue;
        const stageNet = p.moves.filter((m) => m.teacher.stage === stage).reduce((a, m) => a + share(m) * ((m.to.id === s.school_id ? 1 : 0) - (m.from.id === s.school_id ? 1 : 0)), 0);
        expect(after.teachers - before.teachers).toBeCloseTo(stageNet, 12);
      }
    }
  }, 600_000);
});
