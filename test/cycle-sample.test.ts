// Issue 12's acceptance on the sample county: `lungang cycle --years 3` rotates, within the three
// years, every teacher eligible at the cycle's start whom the contract's outflow caps let any plan
// move (cycle.json's bound), each year passing its audit and re-auditing on its own; the only ones
// left over teach at 教学点 whose cap is ⌊20% × at most 4⌋ = 0 in every year. Several minutes on a
// loaded machine: one CLI run for the whole file.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lungang } from './helpers/lungang.ts';
import { repoPath } from './helpers/datasets.ts';

describe('lungang cycle --years 3 on the sample county', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'lungang-cycle-sample-')), 'out');
  // A generous time limit: each year's rotations depend on its solve being proven optimal, also on a loaded machine.
  const run = await lungang('cycle', repoPath('data', 'sample-county'), '--years', '3', '--time-limit', '600', '--out', out);
  const summary = JSON.parse(await readFile(join(out, 'cycle.json'), 'utf8'));

  it('plans the three years, each passing its audit (exit 0)', () => {
    expect(run.code).toBe(0);
    expect(summary.years.map((y: { year: number; audit_ok: boolean }) => [y.year, y.audit_ok])).toEqual([[2026, true], [2027, true], [2028, true]]);
  });

  it('rotates every cycle teacher any plan could: the outflow caps\' bound, the rest named with the cap arithmetic', () => {
    expect(summary.rotated).toBe(summary.bounds.by_outflow_caps);
    expect(summary.rotated + summary.left_over.length).toBe(summary.cycle_teachers);
    for (const l of summary.left_over) expect(l.reason).toMatch(/流出上限⌊0\.2 × [0-4]⌋ = 0，任何一年都不能调出/);
  });

  it('no 差异系数 rises in any year', () => {
    for (const y of summary.years) for (const c of y.cv) if (c.before !== null && c.after !== null) expect(c.after).toBeLessThanOrEqual(c.before + 1e-9);
  });

  it('the last year re-audits on its own from its folder (exit 0)', async () => {
    const audit = await lungang('audit', join(out, '2028'), '--plan', join(out, '2028', 'plan.csv'));
    expect(audit.code).toBe(0);
  });
});
