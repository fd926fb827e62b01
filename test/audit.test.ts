// The audit on hand-made plans for the tiny county: a good one passes, and each kind of broken
// rule is caught by the rule that owns it, with its numbers.
import { describe, expect, it } from 'vitest';
import type { PlanRow, Teacher } from '../solver/contract/schemas.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { buildCountyContext, countiesOf, offersStage, quotaOf } from '../solver/policy/county.ts';
import { loadSample } from './helpers/datasets.ts';

const ds = await loadSample('tiny');
const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
const mayMove = (t: Teacher) => ctx.eligibility.get(t.id)!.mayMove;
const stay = new Set(ctx.locks.filter((l) => l.action === 'stay').map((l) => l.teacher_id));
const lockMove = ctx.locks.find((l) => l.action === 'move')!;
const row = (t: Teacher, to: string): PlanRow => ({ teacher_id: t.id, from_school_id: t.school_id, to_school_id: to, mode: 'transfer', reason: '手工' });
const room = (id: string) => quotaOf(ctx.schoolById.get(id)!, ctx.policy).quota - (ctx.staffBefore.get(id) ?? 0);
const failing = (rows: PlanRow[], dataset = ds) => {
  const a = auditPlan(dataset, rows);
  return [a.integrity, ...a.counties.flatMap((c) => c.rules)].filter((r) => !r.ok).map((r) => r.id).sort();
};

/** A plan written by hand (not by the solver): the lock, then swaps of movable teachers. */
function handMadePlan(): PlanRow[] {
  const rows = [row(ctx.teacherById.get(lockMove.teacher_id)!, lockMove.to_school_id)];
  const movable = ctx.teachers.filter((t) => mayMove(t) && !stay.has(t.id) && t.id !== lockMove.teacher_id);
  const backbone = movable.filter((t) => t.backbone !== 'none');
  // A swap keeps both schools' staff unchanged, so the quota rule holds whatever the room.
  for (const a of backbone) {
    const b = movable.find((t) => t.stage === a.stage && t.school_id !== a.school_id && rows.every((r) => r.teacher_id !== t.id)
      && offersStage(ctx.schoolById.get(t.school_id)!, a.stage) && offersStage(ctx.schoolById.get(a.school_id)!, t.stage)
      && t.school_id !== lockMove.to_school_id && a.school_id !== lockMove.to_school_id);
    if (b && rows.every((r) => r.teacher_id !== a.id)) {
      rows.push(row(a, b.school_id), row(b, a.school_id));
      break;
    }
  }
  return rows;
}

describe('audit of hand-made plans (tiny county)', () => {
  it('passes a correct hand-made plan (never-worse switch off: every backbone move raises this county\'s backbone CV of 0.028)', () => {
    const plan = handMadePlan();
    expect(plan.length).toBeGreaterThanOrEqual(3);
    const off = { ...ds, policy: { ...ds.policy, indicators: { ...ds.policy.indicators, neverWorse: false } } };
    expect(failing(plan, off)).toEqual([]);
  });

  it('with the never-worse switch on, names each 差异系数 the plan raises, before → after', () => {
    const plan = handMadePlan();
    expect(failing(plan)).toEqual(['never_worse']);
    const rule = auditPlan(ds, plan).counties[0]!.rules.find((r) => r.id === 'never_worse')!;
    expect(rule.details!.length).toBeGreaterThan(0);
    for (const d of rule.details!) {
      const [, before, after] = /：([\d.]+) → ([\d.]+)$/.exec(d)!;
      expect(Number(after)).toBeGreaterThan(Number(before));
    }
  });

  it('fails an empty plan on the rotation share, showing numerator and denominator', () => {
    const audit = auditPlan(ds, []);
    const r = audit.counties[0]!.rules.find((x) => x.id === 'rotation_share')!;
    expect(r.ok).toBe(false);
    expect(r.numerator).toBe(0);
    expect(r.denominator).toBe(ctx.eligibleCount);
    expect(r.required).toContain(`${Math.ceil(0.1 * ctx.eligibleCount)}`);
    expect(failing([])).toEqual(['locked_moves', 'rotation_share']);
  });

  it('catches a teacher who may not move', () => {
    const t = ctx.teachers.find((x) => !mayMove(x) && x.stage === 'primary' && x.school_id !== '0104')!;
    expect(failing([...handMadePlan(), row(t, '0104')])).toContain('may_move');
  });

  it('catches a teacher listed twice and a wrong origin', () => {
    const plan = handMadePlan();
    expect(failing([...plan, plan[1]!])).toContain('plan_integrity');
    expect(failing([...plan, { ...plan[1]!, teacher_id: plan[2]!.teacher_id }])).toContain('plan_integrity');
  });

  it('catches a move to a school without the teacher\'s stage', () => {
    const t = ctx.teachers.find((x) => mayMove(x) && !stay.has(x.id) && x.stage === 'junior' && x.id !== lockMove.teacher_id)!;
    expect(failing([...handMadePlan().filter((r) => r.teacher_id !== t.id), row(t, '0101')])).toContain('stage_match');
  });

  it('catches a stay lock broken and a move lock not executed', () => {
    const t = ctx.teacherById.get([...stay][0]!)!;
    const dest = ctx.schools.find((s) => s.id !== t.school_id && offersStage(s, t.stage))!;
    expect(failing([...handMadePlan(), row(t, dest.id)])).toContain('locks');
    expect(failing(handMadePlan().slice(1))).toContain('locked_moves');
  });

  it('catches a school losing more than 20% of its teachers', () => {
    const school = '0101';
    const cap = Math.floor(0.2 * ctx.staffBefore.get(school)!);
    const out = ctx.teachers.filter((t) => t.school_id === school && mayMove(t) && !stay.has(t.id)).slice(0, cap + 1);
    expect(out.length).toBe(cap + 1);
    const audit = auditPlan(ds, out.map((t) => row(t, '0103')));
    expect(failing(out.map((t) => row(t, '0103')))).toContain('outflow_cap');
    // The per-school table names the school with its numbers; every other school passes.
    const flows = audit.counties[0]!.schools;
    expect(flows.find((f) => f.school_id === school)).toMatchObject({ teachers_before: ctx.staffBefore.get(school), outflow: cap + 1, outflow_cap: cap, outflow_ok: false });
    expect(flows.filter((f) => !f.outflow_ok).map((f) => f.school_id)).toEqual([school]);
    expect(flows.length).toBe(ctx.schools.length);
  });

  it('catches too few backbone teachers among the rotated', () => {
    const plain = ctx.teachers.filter((t) => mayMove(t) && !stay.has(t.id) && t.backbone === 'none' && t.stage === 'primary' && t.school_id !== '0103');
    const rows = plain.slice(0, 4).map((t) => row(t, '0103'));
    const audit = auditPlan(ds, rows);
    const r = audit.counties[0]!.rules.find((x) => x.id === 'backbone_share')!;
    expect(r).toMatchObject({ ok: false, numerator: 0, denominator: rows.length });
  });

  it('catches a school pushed over its quota', () => {
    const target = ctx.schools.filter((s) => offersStage(s, 'primary')).sort((a, b) => room(a.id) - room(b.id))[0]!;
    const incoming = ctx.teachers.filter((t) => mayMove(t) && !stay.has(t.id) && t.stage === 'primary' && t.school_id !== target.id);
    const rows = incoming.slice(0, Math.max(0, room(target.id)) + 1).map((t) => row(t, target.id));
    expect(failing(rows)).toContain('quota');
    const f = auditPlan(ds, rows).counties[0]!.schools.find((x) => x.school_id === target.id)!;
    const before = ctx.staffBefore.get(target.id)!;
    const quota = quotaOf(target, ctx.policy).quota;
    expect(f).toMatchObject({ teachers_before: before, inflow: rows.length, quota, quota_limit: Math.max(quota, before), quota_ok: false });
    expect(f.quota_excess).toBe(f.teachers_after - f.quota_limit);
    expect(f.quota_excess).toBeGreaterThan(0);
  });

  it('counts moves by mode, and only the kinds the policy counts toward the 10%', () => {
    const plan = handMadePlan().map((r, i) => ({ ...r, mode: i === 0 ? 'transfer' as const : 'support' as const }));
    const counts = auditPlan(ds, plan).counties[0]!.counts;
    expect(counts.by_mode.map((m) => [m.mode, m.rotated])).toEqual([['transfer', 1], ['support', plan.length - 1], ['itinerant', 0], ['shadow', 0]]);
    expect(counts.counted_rotated).toBe(plan.length);
    expect(counts.transfers).toBe(1);
    expect(counts.transfer_rate_of_establishment).toBeCloseTo(1 / counts.on_establishment, 12);
    const off = { ...ds, policy: { ...ds.policy, modes: { ...ds.policy.modes, support: { ...ds.policy.modes.support, allowed: true, countsTowardRotation: false } } } };
    const audit = auditPlan(off, plan).counties[0]!;
    expect(audit.counts.counted_rotated).toBe(1);
    expect(audit.counts.rotated).toBe(plan.length);
    expect(audit.counts.by_mode.find((m) => m.mode === 'support')!.counts_toward_rotation).toBe(false);
    expect(audit.rules.find((r) => r.id === 'rotation_share')).toMatchObject({ numerator: 1, denominator: ctx.eligibleCount });
  });

  it('per-school rules count schools: failing schools over all schools, with the failing one named in both languages', () => {
    const school = '0101';
    const cap = Math.floor(0.2 * ctx.staffBefore.get(school)!);
    const out = ctx.teachers.filter((t) => t.school_id === school && mayMove(t) && !stay.has(t.id)).slice(0, cap + 1);
    const r = auditPlan(ds, out.map((t) => row(t, '0103'))).counties[0]!.rules.find((x) => x.id === 'outflow_cap')!;
    expect(r).toMatchObject({ ok: false, numerator: 1, denominator: ctx.schools.length });
    expect(r.details).toEqual([`${school}：流出${cap + 1}人 > ⌊20% × ${ctx.staffBefore.get(school)}⌋ = ${cap}`]);
    expect(r.details_en).toEqual([`${school}: ${cap + 1} leave > ⌊20% × ${ctx.staffBefore.get(school)}⌋ = ${cap}`]);
    const quota = auditPlan(ds, []).counties[0]!.rules.find((x) => x.id === 'quota')!;
    expect(quota).toMatchObject({ ok: true, numerator: 0, denominator: ctx.schools.length, actual: `${ctx.schools.length}校全部符合` });
  });

  it('English texts come from the same numbers and carry the policy\'s own thresholds (a 15% policy says 15%)', () => {
    const p15 = { ...ds, policy: { ...ds.policy, ratios: { ...ds.policy.ratios, minRotatedShareOfEligible: 0.15 } } };
    const rules = auditPlan(p15, []).counties[0]!.rules;
    const rotation = rules.find((x) => x.id === 'rotation_share')!;
    const need = Math.ceil(0.15 * ctx.eligibleCount - 1e-9);
    expect(rotation.required_en).toBe(`≥ ${need} (⌈15% × ${ctx.eligibleCount} eligible⌉)`);
    expect(rotation.required).toBe(`≥ ${need}人（⌈15% × 符合条件${ctx.eligibleCount}人⌉）`);
    for (const r of rules) for (const k of ['name_en', 'clause_en', 'required_en', 'actual_en'] as const) expect(r[k], `${r.id}.${k}`).toMatch(/\S/);
  });

  it('Chinese rule texts name policy parameters by their Chinese labels: no internal keys, no English clauses', () => {
    const a = auditPlan(ds, [...handMadePlan(), { teacher_id: '99999', from_school_id: '0101', to_school_id: '0103', mode: 'transfer', reason: '' }]);
    for (const r of [a.integrity, ...a.counties[0]!.rules]) {
      for (const text of [r.name, r.clause, r.required, r.actual, ...(r.details ?? [])]) {
        // The file name of a finding's line (plan.csv:5) is the one Latin word an auditor needs.
        expect(text.replaceAll('plan.csv', ''), r.id).not.toMatch(/[a-z]+\.[a-zA-Z]+|[A-Za-z]{4,}/);
      }
    }
  });
});

