// The cycle's pace (solver/cycle/must-rotate-list.ts) and the staffing floors it sets (rule
// staff_floor, solver/policy/staff-floor.ts): a school whose cycle teachers waiting outnumber what
// its later outflow caps can let go sends the rest now, and keeps the staff next year's cap needs.
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../solver/contract/dataset.ts';
import { mustRotateList } from '../solver/cycle/must-rotate-list.ts';
import { buildCountyContext, countiesOf, floorShare } from '../solver/policy/county.ts';
import { obstacleOf } from '../solver/policy/precheck.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { highsEngine } from '../server/engine.ts';
import { loadSample } from './helpers/datasets.ts';

const staffOf = (ds: Dataset, school: string) => ds.teachers.filter((t) => t.school_id === school).length;
const withFloors = (ds: Dataset, floors: Record<string, number>): Dataset => ({ ...ds, policy: { ...ds.policy, cycle: { ...ds.policy.cycle, staffFloor: floors } } });

describe('the staffing floor (rule staff_floor)', async () => {
  const ds = await loadSample('small-county');
  const engine = highsEngine();
  const [free] = await planDataset(ds, engine);
  // The school that loses the most posts by transfers in the free plan.
  const net = new Map<string, number>();
  for (const r of free!.rows.filter((x) => x.mode === 'transfer')) {
    net.set(r.from_school_id, (net.get(r.from_school_id) ?? 0) - 1);
    net.set(r.to_school_id, (net.get(r.to_school_id) ?? 0) + 1);
  }
  const [school, loss] = [...net].sort((a, b) => a[1] - b[1])[0]!;
  const floor = staffOf(ds, school);
  const held = withFloors(ds, { [school]: floor });

  it('holds a school to its floor, and the audit counts it', async () => {
    expect(loss).toBeLessThan(0);
    const [plan] = await planDataset(held, engine);
    expect(plan!.status).not.toBe('infeasible');
    const after = floor + plan!.rows.filter((r) => r.mode === 'transfer').reduce((a, r) => a + (r.to_school_id === school ? 1 : 0) - (r.from_school_id === school ? 1 : 0), 0);
    expect(after).toBeGreaterThanOrEqual(floor);
    const rule = auditPlan(held, plan!.rows).counties[0]!.rules.find((r) => r.id === 'staff_floor')!;
    expect([rule.ok, rule.numerator, rule.denominator]).toEqual([true, 0, 1]);
  });

  it('fails a plan that leaves the school below its floor, with the numbers', () => {
    const rule = auditPlan(held, free!.rows).counties[0]!.rules.find((r) => r.id === 'staff_floor')!;
    expect(rule.ok).toBe(false);
    expect(rule.details).toEqual([`${school}：交流后${floor + loss}人 < 下限${floor}人`]);
  });

  it('is no rule when no floor is set', () => {
    const rule = auditPlan(ds, free!.rows).counties[0]!.rules.find((r) => r.id === 'staff_floor')!;
    expect([rule.ok, rule.required]).toEqual([true, '未设下限']);
  });
});

describe('the pace of a school whose waiting teachers outnumber its later caps', async () => {
  const ds = await loadSample('small-county');
  const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
  const waiting = ds.teachers.filter((t) => ctx.eligibility.get(t.id)!.eligible);
  // Those some plan can move (no stay lock, a destination): the pace counts these.
  const movable = waiting.filter((t) => obstacleOf(ctx, t) === null);
  const cap = (s: string) => floorShare(ds.policy.limits.maxOutflowShareOfSchool, staffOf(ds, s));
  const count = (s: string) => movable.filter((t) => t.school_id === s).length;
  // Two years left: a school with more waiting than one later year's cap sends the difference now (at most its cap).
  const tight = [...new Set(movable.map((t) => t.school_id))].filter((s) => cap(s) > 0 && count(s) > cap(s));
  const list = mustRotateList(ds, waiting, 2);

  it('lists at least min(cap, waiting − cap) of each such school', () => {
    expect(tight.length).toBeGreaterThan(0);
    const listed = new Set(list.listed);
    for (const s of tight) {
      const here = movable.filter((t) => t.school_id === s && listed.has(t.id)).length;
      expect(here, s).toBeGreaterThanOrEqual(Math.min(cap(s), count(s) - cap(s)));
      expect(here, s).toBeLessThanOrEqual(cap(s));
    }
    expect(list.paced).toBeGreaterThan(0);
  });

  it('lists no pace in the last year, nor without pacing', () => {
    expect(mustRotateList(ds, waiting, 1).paced).toBe(0);
    expect(mustRotateList(ds, waiting, 2, false)).toMatchObject({ paced: 0, floors: {} });
  });

  it('sets floors only above what the year\'s own cap keeps, and never above max(staff, quota)', () => {
    for (const [s, f] of Object.entries(list.floors)) {
      expect(f, s).toBeGreaterThan(staffOf(ds, s) - cap(s));
      const school = ctx.schoolById.get(s)!;
      expect(f, s).toBeLessThanOrEqual(Math.max(staffOf(ds, s), school.quota ?? Infinity));
    }
  });
});
