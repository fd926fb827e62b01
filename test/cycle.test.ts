// A rotation cycle of three years on the small sample county (HiGHS): each year planned and passing
// its own audit, budgets raised for the cycle's teachers, no teacher moved twice within the minimum
// term, 支教 terms returning when they end, and the teachers left over named with the reason.
// The CLI writes one folder per year that `lungang audit` re-checks on its own.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCycle } from '../solver/cycle/multi-year.ts';
import { historyChecks } from '../solver/cycle/paper-rotation.ts';
import { highsEngine } from '../server/engine.ts';
import { loadSample, repoPath } from './helpers/datasets.ts';

const lungang = (...args: string[]) => new Promise<{ code: number; stdout: string }>((done) => {
  execFile(process.execPath, [repoPath('bin', 'lungang.mjs'), ...args], { cwd: repoPath(), timeout: 600_000 }, (err, stdout) =>
    done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout }));
});

describe('a three-year cycle on the small sample county, 支教 allowed (1-year terms)', async () => {
  const ds = await loadSample('small-county');
  ds.policy.modes.support.allowed = true;
  const result = await planCycle(ds, highsEngine(), 3);
  const [y1, y2, y3] = result.years;

  it('plans every year and each year passes its audit', () => {
    expect(result.years.map((y) => [y.year, y.plans.every((p) => p.status !== 'infeasible'), y.audit.ok])).toEqual([
      [2026, true, true], [2027, true, true], [2028, true, true],
    ]);
  });

  it('asks each year for ⌈not yet rotated ÷ years left⌉ of the cycle\'s teachers, and the first year gets them', () => {
    expect(y1!.remaining_before).toBe(result.cycle_teachers);
    expect(y1!.target).toBe(Math.ceil(result.cycle_teachers / 3));
    expect(y1!.cycle_rotated).toBe(y1!.target);
    expect(y2!.remaining_before).toBeLessThanOrEqual(result.cycle_teachers - y1!.cycle_rotated);
    expect(y2!.target).toBeGreaterThanOrEqual(Math.ceil(y2!.remaining_before / 2));
    expect(y2!.plans[0]!.budget.min).toBe(y2!.target); // the raised budget is the year's rule, audited
  });

  it('never moves a teacher twice within the minimum term, and the history checks find no paper rotation', () => {
    const movers = result.years.flatMap((y) => [...new Set(y.rows.map((r) => r.teacher_id))]);
    expect(new Set(movers).size).toBe(movers.length);
    const checks = historyChecks(y3!.ds.history ?? [], y3!.ds.teachers, y3!.ds.policy, y3!.rows);
    expect(checks.filter((c) => c.id !== 'deferral_limit').map((c) => [c.id, c.teachers])).toEqual([
      ['repeat_rotation', []], ['short_stay', []], ['immediate_return', []],
    ]);
  });

  it('returns each 支教 teacher home when the term ends, and applies transfers to the roster', () => {
    const support = y1!.rows.filter((r) => r.mode === 'support');
    expect(support.length).toBeGreaterThan(0);
    expect(y2!.returns.map((r) => [r.teacher_id, r.from_school_id, r.to_school_id])).toEqual(
      support.map((r) => [r.teacher_id, r.to_school_id, r.from_school_id]).sort((a, b) => a[0]!.localeCompare(b[0]!)));
    const t = y1!.rows.find((r) => r.mode === 'transfer')!;
    const after = y2!.ds.teachers.find((x) => x.id === t.teacher_id)!;
    expect([after.school_id, after.years_at_school]).toEqual([t.to_school_id, 1]);
  });

  it('names every cycle teacher left over with a reason, and the bounds say how many any cycle could reach', () => {
    expect(result.rotated + result.left_over.length).toBe(result.cycle_teachers);
    expect(result.left_over.every((l) => l.reason.length > 0)).toBe(true);
    expect(result.rotated).toBeLessThanOrEqual(Math.min(result.bounds.by_backbone_share, result.bounds.by_outflow_caps));
  });
});

describe('lungang cycle', () => {
  it('writes one folder per year and cycle.json; each year re-audits on its own (exit 0)', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'lungang-cycle-')), 'out');
    const run = await lungang('cycle', repoPath('data', 'small-county'), '--years', '2', '--out', out);
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['2026', '2027', 'cycle.json']);
    expect((await readdir(join(out, '2027'))).sort()).toEqual(['locks.csv', 'plan.csv', 'policy.json', 'report.json', 'returns.csv', 'schools.csv', 'teachers.csv']);
    const summary = JSON.parse(await readFile(join(out, 'cycle.json'), 'utf8'));
    expect(summary.years.map((y: { audit_ok: boolean }) => y.audit_ok)).toEqual([true, true]);
    const audit = await lungang('audit', join(out, '2027'), '--plan', join(out, '2027', 'plan.csv'));
    expect(audit.code).toBe(0);
  });

  it('refuses a bad --years and writes nothing (exit 2)', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'lungang-cycle-')), 'out');
    const run = await lungang('cycle', repoPath('data', 'small-county'), '--years', '0', '--out', out);
    expect(run.code).toBe(2);
    await expect(readdir(out)).rejects.toThrow();
  });
});
