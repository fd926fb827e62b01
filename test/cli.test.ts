// The `lungang` command as a planner runs it: exit codes, files written (or not), messages.
import { cp, mkdtemp, readFile, readdir, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { generateCity, writeCountyCsv } from '../data/generate.ts';
import { repoPath } from './helpers/datasets.ts';
import { lungang } from './helpers/lungang.ts';



const exists = (p: string) => access(p).then(() => true, () => false);
const tmp = () => mkdtemp(join(tmpdir(), 'lungang-'));

describe('lungang plan / audit on the small sample county', () => {
  it('writes plan.csv and report.json (exit 0), and the audit of that plan passes (exit 0)', async () => {
    const out = join(await tmp(), 'out');
    const lp = join(out, '..', 'model.lp');
    const plan = await lungang('plan', repoPath('data', 'small-county'), '--out', out, '--export-lp', lp);
    expect(plan.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['eligibility.csv', 'plan.csv', 'report.json']);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.status).toBe('optimal');
    expect(report.indicators.cv[0]).not.toHaveProperty('best_achievable'); // only with --bounds
    expect(report.counts.rotated).toBeGreaterThanOrEqual(Math.ceil(0.1 * report.counts.eligible));
    const eligibilityText = await readFile(join(out, 'eligibility.csv'), 'utf8');
    expect(eligibilityText.split('\n')[0]).toBe('teacher_id,school_id,stage,subject,backbone,status,eligible,may_move,to_school_id,reason,plan_reason');
    const eligibility: Record<string, string>[] = parse(eligibilityText, { columns: true });
    expect(eligibility.length).toBe(report.counts.teachers);
    expect(eligibility.filter((r) => r.status === 'eligible' && r.eligible === '1' && r.may_move === '1').length).toBe(report.counts.eligible);
    const csv = await readFile(join(out, 'plan.csv'), 'utf8');
    // plan_reason: the plan.csv reason of a move, report.json's stay reason for who may move and stays, else empty.
    const planReason = new Map((parse(csv, { columns: true }) as Record<string, string>[]).map((r) => [r.teacher_id, r.reason]));
    for (const r of eligibility) {
      const expected = planReason.get(r.teacher_id!) ?? (r.may_move === '1' ? report.stay_reasons[r.teacher_id!] : '');
      expect(r.plan_reason).toBe(expected);
      if (r.may_move === '1') expect(r.plan_reason).toMatch(/\S/);
    }
    expect(csv.split('\n')[0]).toBe('teacher_id,from_school_id,to_school_id,mode,stage,subject,backbone,reason,fills_subject');
    expect(csv.trim().split('\n').length - 1).toBe(report.counts.rotated);
    const text = await readFile(lp, 'utf8');
    expect(text).toMatch(/^\\ lungang county/);
    expect(text).toContain('Subject To');
    expect(text).toContain('General');

    const audit = await lungang('audit', repoPath('data', 'small-county'), '--plan', join(out, 'plan.csv'));
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('审核通过');
  });

  it('--bounds adds the best achievable CV and the share of it to every CV row, and says when a threshold is out of reach', async () => {
    const dir = await tmp();
    // The tiny county has no plan under the never-worse switch; without it, it has one.
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ year: 2026, indicators: { neverWorse: false } }));
    const out = join(dir, 'out');
    const run = await lungang('plan', repoPath('test', 'fixtures', 'tiny'), '--out', out, '--policy', join(dir, 'policy.json'), '--bounds');
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    for (const c of report.indicators.cv) {
      expect(c.best_achievable_proven).toBe(true);
      expect(c.best_achievable).toBeLessThanOrEqual(c.after.cv + 1e-9);
      expect(c.best_achievable).toBeCloseTo(c.best_achievable_bound, 6);
      if (c.share_of_achievable !== null) expect(c.share_of_achievable).toBeCloseTo((c.before.cv - c.after.cv) / (c.before.cv - c.best_achievable), 12);
      expect(c.threshold_reachable).toBe(c.best_achievable <= c.max);
      expect(c.best_achievable_note).toBe(c.threshold_reachable ? null : `仅靠交流无法降到${c.max.toFixed(2)}：最低可达${c.best_achievable.toFixed(2)}`);
    }
    // Junior PE+art starts at 0.96: no plan brings it to 0.45.
    expect(report.indicators.cv.find((c: { stage: string; indicator: string }) => c.stage === 'junior' && c.indicator === 'peArt').threshold_reachable).toBe(false);
    expect(run.stdout).toContain('本方案达到可实现降幅的');
    expect(run.stdout).toMatch(/仅靠交流无法降到0\.45：最低可达0\.\d\d/);
  });

  it('fails the audit of a broken hand-made plan (exit 1) and names the rule', async () => {
    const dir = await tmp();
    const bad = join(dir, 'plan.csv');
    // Nobody moves: the rotation share is missed.
    await writeFile(bad, 'teacher_id,from_school_id,to_school_id,mode,stage,subject,backbone,reason\n');
    const audit = await lungang('audit', repoPath('data', 'small-county'), '--plan', bad);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(/✗ .*rotation_share/);
    expect(audit.stdout).toContain('审核未通过');
  });

  it('prints the audit in English with --lang en: each rule\'s English texts from audit.json, the verdict in English', async () => {
    const dir = await tmp();
    const empty = join(dir, 'plan.csv');
    await writeFile(empty, 'teacher_id,from_school_id,to_school_id,mode,stage,subject,backbone,reason\n');
    const audit = await lungang('audit', repoPath('data', 'small-county'), '--plan', empty, '--lang', 'en', '--out', join(dir, 'audit.json'));
    expect(audit.code).toBe(1);
    const json = JSON.parse(await readFile(join(dir, 'audit.json'), 'utf8')) as { rules: { id: string; county: string | null; ok: boolean; name_en: string; required_en: string; actual_en: string; details_en?: string[] }[] };
    const lines = audit.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('Audit failed');
    for (const r of json.rules) {
      expect(lines).toContain(`${r.ok ? '✓' : '✗'} ${r.county ? `[${r.county}] ` : ''}${r.id} ${r.name_en}: required ${r.required_en}, actual ${r.actual_en}`);
      for (const d of r.ok ? [] : r.details_en ?? []) expect(lines).toContain(`    ${d}`);
    }
    const rotation = json.rules.find((r) => r.id === 'rotation_share')!;
    expect(rotation.ok).toBe(false);
    expect(rotation.required_en).toContain('10%');
    // No Chinese but the county's own name (data, not a label).
    expect(audit.stdout.replaceAll('鹤川县', '')).not.toMatch(/\p{Script=Han}/u);
  });
});

describe('lungang frontier on the small sample county', () => {
  it('writes frontier.csv (≥ 5 points) and each point\'s plan; objective never worse, rotated ≤ ⌈share × eligible⌉, every plan audits', async () => {
    const out = join(await tmp(), 'frontier');
    const r = await lungang('frontier', repoPath('data', 'small-county'), '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(join(out, 'frontier.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('county,share,rotated,backbone_rotated,cv_primary_aboveDegree,cv_primary_backbone,cv_primary_peArt,cv_junior_aboveDegree,'
      + 'cv_junior_backbone,cv_junior_peArt,indicators_meeting_threshold,needs_unfilled,toward_rural_or_weak,commute_km_total,objective,status,gap');
    const rows: Record<string, string>[] = parse(text, { columns: true });
    expect(rows.map((x) => x.share)).toEqual(['0.10', '0.12', '0.15', '0.20', '0.25']);
    let previous = Infinity;
    for (const row of rows) {
      const dir = join(out, 'plans', row.share!);
      expect((await readdir(dir)).sort()).toEqual(['plan.csv', 'policy.json', 'report.json']);
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
      expect(row.status).toMatch(/optimal|feasible/);
      expect(Number(row.rotated)).toBe(report.counts.rotated);
      expect(Number(row.rotated)).toBeLessThanOrEqual(Math.ceil(Number(row.share) * report.counts.eligible - 1e-9));
      expect(Number(row.objective)).toBeLessThanOrEqual(previous + 1e-6);
      previous = Number(row.objective);
      // The point's own policy carries its budget, so the audit checks the plan against it.
      const audit = await lungang('audit', repoPath('data', 'small-county'), '--plan', join(dir, 'plan.csv'), '--policy', join(dir, 'policy.json'));
      expect(audit.code, audit.stdout).toBe(0);
    }
  });

  it('refuses a share below the policy minimum (exit 2, nothing written)', async () => {
    const out = join(await tmp(), 'frontier');
    const r = await lungang('frontier', repoPath('data', 'small-county'), '--out', out, '--shares', '0.05,0.2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shares:0: -: 交流比例 0.05 低于政策的最低交流比例 0.1');
    expect(await exists(out)).toBe(false);
  });
});

describe('infeasible policy', () => {
  it('exits 1, still writes report.json, and names the conflicting rules with numbers', async () => {
    const dir = await tmp();
    await cp(repoPath('test', 'fixtures', 'tiny'), dir, { recursive: true });
    const policy = JSON.parse(await readFile(join(dir, 'policy.json'), 'utf8'));
    // Half of the eligible must rotate and nearly all of them be backbone: the tiny county has too few.
    policy.ratios.minRotatedShareOfEligible = 0.5;
    policy.ratios.minBackboneShareOfRotated = 0.95;
    await writeFile(join(dir, 'policy.json'), JSON.stringify(policy));
    const out = join(dir, 'out');
    const r = await lungang('plan', dir, '--out', out);
    expect(r.code).toBe(1);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.status).toBe('infeasible');
    const k = report.infeasibility.find((c: { rules: string[] }) => c.rules.includes('backbone_share'));
    expect(k.message).toMatch(/骨干比例要求至少\d+名骨干教师交流.*但只有\d+名骨干教师可交流/);
    expect(k.short_by).toBeGreaterThan(0);
  });
});

describe('bad input corpus through the CLI: exit 2, file:line: column message, nothing written', async () => {
  const cases = (await readdir(repoPath('test', 'bad-inputs'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);

  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('%s', async (name) => {
    const dir = await tmp();
    await cp(repoPath('test', 'fixtures', 'tiny'), dir, { recursive: true });
    await cp(repoPath('test', 'bad-inputs', name), dir, { recursive: true });
    const expected = (await readFile(join(dir, 'expect.txt'), 'utf8')).trim();
    const out = join(dir, 'out');
    const r = await lungang('plan', dir, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]!.startsWith(expected)).toBe(true);
    expect(await exists(out)).toBe(false);
  });
});

describe('several counties in one file', () => {
  it('the stdout line names each county\'s status, with the cause of the one that has no plan', async () => {
    const dir = await tmp();
    const city = generateCity({ counties: 3, teachersPerCounty: 150, seed: 3 });
    const counties = [...new Set(city.schools.map((x) => x.county!))];
    const countyOf = new Map(city.schools.map((x) => [x.id, x.county]));
    // The second county keeps every teacher (stay locks): nobody may rotate there, the others plan as usual.
    const held = city.teachers.filter((t) => countyOf.get(t.school_id) === counties[1]);
    const heldIds = new Set(held.map((t) => t.id));
    const locks = [...city.locks.filter((l) => !heldIds.has(l.teacher_id)), ...held.map((t) => ({ teacher_id: t.id, action: 'stay' as const, reason: '全县留任（测试）' }))];
    writeCountyCsv(dir, { ...city, locks });
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ year: 2026, indicators: { neverWorse: false } }));
    const out = join(dir, 'out');
    const r = await lungang('plan', dir, '--out', out);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    const status = new Map<string, string>(report.solver.map((x: { county: string; status: string }) => [x.county, x.status]));
    expect(status.get(counties[1]!)).toBe('infeasible');
    expect([status.get(counties[0]!), status.get(counties[2]!)]).toEqual([expect.stringMatching(/optimal|feasible/), expect.stringMatching(/optimal|feasible/)]);
    const line = r.stdout.split('\n').find((l) => l.includes(' · '));
    expect(line).toBeDefined();
    const parts = line!.split(' · ');
    expect(parts).toHaveLength(3);
    for (const c of counties) {
      const part = parts.find((p) => p.startsWith(`${c} `))!;
      if (c === counties[1]) expect(part).toMatch(new RegExp(`^${c} infeasible（轮岗比例要求至少\\d+名教师交流.*但只有0名教师可交流`));
      else expect(part).toBe(`${c} ${status.get(c)}`);
    }
  });
});
