// The rounds of 县管校聘 on a hand-made county (校内竞聘, 跨校竞聘) and end to end from the CLI on a
// generated county with scores and applications (all three rounds, the final plan audited), and
// with a history.csv, applied as `lungang plan` applies it.
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, type School, type Teacher } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { buildCountyContext } from '../solver/policy/county.ts';
import { postsOf } from '../solver/cycle/round-posts.ts';
import { crossSchoolRound, inSchoolRound } from '../solver/cycle/rounds.ts';
import { generateCounty, writeCountyCsv } from '../data/generate.ts';
import { lungang } from './helpers/lungang.ts';
import { plantHistory, roundsWorkbook, writeRoundsCounty } from './helpers/rounds-county.ts';

const school = (id: string, quota: number): School => ({ id, name: `${id}小学`, stage: 'primary', locale: 'town', weak: false, teaching_point: false, students_primary: 300, quota });
const teacher = (id: string, school_id: string, score: number, extra: Partial<Teacher> = {}): Teacher => ({
  id, name: '某', school_id, stage: 'primary', subject: 'math', extra_subjects: [], gender: 'M', birth_year: 1986, role: 'teacher', on_establishment: true,
  years_at_school: 8, backbone: 'none', title: 'first', rural_weak_years: 0, schools_worked: 1, volunteer: false, assessment_score: score, ...extra,
});
// A has 2 math posts and 4 math teachers (one exempt); B and C each 1 open math post.
const county = (): Dataset => ({
  schools: [school('A', 10), school('B', 10), school('C', 10)],
  teachers: [teacher('a1', 'A', 90), teacher('a2', 'A', 80), teacher('a3', 'A', 70), teacher('a4', 'A', 50, { exemption: 'nursing' }), teacher('b1', 'B', 60, { subject: 'chinese' })],
  needs: [{ school_id: 'A', stage: 'primary', subject: 'math', required: 2 }, { school_id: 'B', stage: 'primary', subject: 'math', required: 1 }, { school_id: 'C', stage: 'primary', subject: 'math', required: 1 }],
  preferences: [], locks: [], policy: { ...defaultPolicy(), limits: { maxOutflowShareOfSchool: 0.5, maxCommuteKm: null } },
});

describe('校内竞聘 (round 1)', () => {
  it('keeps the exempt teacher’s post, then fills the posts left by score; the rest are unplaced', () => {
    const ctx = buildCountyContext('', county());
    const rows = inSchoolRound(ctx, postsOf(ctx));
    const at = (id: string) => rows.find((r) => r.teacher_id === id)!;
    expect(at('a4')).toMatchObject({ outcome: 'placed', to_school_id: 'A' });
    expect(at('a4').reason).toContain('不可交流');
    expect(at('a1')).toMatchObject({ outcome: 'placed', to_school_id: 'A' });
    expect(at('a1').reason).toContain('考核分数90排第1名');
    expect([at('a2').outcome, at('a3').outcome]).toEqual(['unplaced', 'unplaced']);
    expect(rows).toHaveLength(5);
  });
});

describe('跨校竞聘 (round 2)', () => {
  it('gives the contested post to the higher score and the first choice only where it is free', () => {
    const ds = county();
    const ctx = buildCountyContext('', ds);
    const posts = postsOf(ctx);
    const r1 = inSchoolRound(ctx, posts);
    const apps = [{ teacher_id: 'a3', school_id: 'C', rank: 1 }, { teacher_id: 'a2', school_id: 'C', rank: 1 }, { teacher_id: 'a2', school_id: 'B', rank: 2 }, { teacher_id: 'a3', school_id: 'A', rank: 2 }];
    const r2 = crossSchoolRound(ctx, posts, r1, apps);
    expect(r2.find((r) => r.teacher_id === 'a2')).toMatchObject({ outcome: 'placed', to_school_id: 'C' });
    // a3 lost C to a2 and listed no other school with an open post (A is home).
    expect(r2.find((r) => r.teacher_id === 'a3')).toMatchObject({ outcome: 'unplaced', to_school_id: '' });
  });

  it('takes no one into a school without room under its quota', () => {
    const ds = county();
    ds.schools[2] = school('C', 0);
    const ctx = buildCountyContext('', ds);
    const posts = postsOf(ctx);
    const r2 = crossSchoolRound(ctx, posts, inSchoolRound(ctx, posts), [{ teacher_id: 'a2', school_id: 'C', rank: 1 }]);
    expect(r2.find((r) => r.teacher_id === 'a2')!.outcome).toBe('unplaced');
  });

  it('lets a school release no more than its outflow cap: ⌊20% × 4⌋ = 0 applicants from A', () => {
    const ds = { ...county(), policy: defaultPolicy() };
    const ctx = buildCountyContext('', ds);
    const posts = postsOf(ctx);
    const r2 = crossSchoolRound(ctx, posts, inSchoolRound(ctx, posts), [{ teacher_id: 'a2', school_id: 'C', rank: 1 }]);
    expect(r2.find((r) => r.teacher_id === 'a2')).toMatchObject({ outcome: 'unplaced' });
    expect(r2.find((r) => r.teacher_id === 'a2')!.reason).toContain('本校流出已达上限');
  });
});


describe('lungang rounds on a generated county with scores and applications', () => {
  it('runs the three rounds, every round’s checks and the final audit pass; stopping after round 1 and going on gives the same rounds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lungang-rounds-'));
    writeCountyCsv(join(dir, 'in'), generateCounty({ teachers: 300, seed: 7, rounds: true }));
    const full = await lungang('rounds', join(dir, 'in'), '--out', join(dir, 'full'));
    expect(full.stderr).toBe('');
    expect(full.code).toBe(0);
    expect((await readdir(join(dir, 'full'))).sort()).toEqual(['plan.csv', 'policy.json', 'report.json', 'rounds.csv', 'rounds.json']);
    const summary = JSON.parse(await readFile(join(dir, 'full', 'rounds.json'), 'utf8'));
    expect(summary.rounds.map((r: { round: number }) => r.round)).toEqual([1, 2, 3]);
    expect(summary.rounds.every((r: { ok: boolean }) => r.ok)).toBe(true);
    expect(summary.rounds[1].checks.map((c: { id: string }) => c.id)).toContain('cross_school_stable');
    expect(summary.audit_ok).toBe(true);
    const audit = await lungang('audit', join(dir, 'in'), '--plan', join(dir, 'full', 'plan.csv'), '--policy', join(dir, 'full', 'policy.json'));
    expect(audit.code).toBe(0);

    const first = await lungang('rounds', join(dir, 'in'), '--out', join(dir, 'r1'), '--stop-after', '1');
    expect(first.code).toBe(0);
    expect((await readdir(join(dir, 'r1'))).sort()).toEqual(['rounds.csv', 'rounds.json']);
    const rest = await lungang('rounds', join(dir, 'in'), '--out', join(dir, 'rest'), '--from', join(dir, 'r1', 'rounds.csv'));
    expect(rest.code).toBe(0);
    const lines = async (d: string) => (await readFile(join(dir, d, 'rounds.csv'), 'utf8')).split('\n').sort();
    expect(await lines('rest')).toEqual(await lines('full'));

    await writeFile(join(dir, 'bad.csv'), 'round,teacher_id,from_school_id,to_school_id,outcome\n1,T99999,S001,,placed\n');
    const bad = await lungang('rounds', join(dir, 'in'), '--out', join(dir, 'bad'), '--from', join(dir, 'bad.csv'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.csv:2: teacher_id:');
    expect(await readdir(dir)).not.toContain('bad');
  });
});

describe('lungang rounds on a county with history', () => {
  it('applies history.csv as `lungang plan` does: a history-locked teacher keeps the post at home, returns.csv, and the checks find the planted paper rotation; a workbook\'s 竞聘志愿 sheet is read as applications.csv', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lungang-rounds-history-'));
    const files = writeRoundsCounty(join(dir, 'in'));
    const planted = await plantHistory(files);
    await writeFile(join(dir, 'in', 'history.csv'), files['history.csv']!);
    const run = await lungang('rounds', join(dir, 'in'), '--out', join(dir, 'out'), '--stop-after', '1');
    expect(run.code, run.stderr).toBe(0);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['returns.csv', 'rounds.csv', 'rounds.json']);
    expect(await readFile(join(dir, 'out', 'returns.csv'), 'utf8')).toMatch(new RegExp(`^${planted.returning},[^,]+,[^,]+,support,2024,2026,支教期满返回原校`, 'm'));
    const summary = JSON.parse(await readFile(join(dir, 'out', 'rounds.json'), 'utf8'));
    const found = Object.fromEntries(summary.history_checks.map((c: { id: string; teachers: { teacher_id: string }[] }) => [c.id, c.teachers.map((t) => t.teacher_id)]));
    expect(found.immediate_return).toEqual([planted.id]);
    // Round 1: the stay lock (moved back in 2025) keeps the post without competing.
    const row = (await readFile(join(dir, 'out', 'rounds.csv'), 'utf8')).split('\n').find((l) => l.startsWith(`1,`) && l.includes(`,${planted.id},`))!;
    expect(row).toContain(`,${planted.home},${planted.home},placed,`);
    expect(row).toContain('锁定留任：最短任期3年');

    // The same county as one workbook, its applications on a sheet 竞聘志愿: the same rounds.
    await writeFile(join(dir, 'county.xlsx'), await roundsWorkbook(files));
    const book = await lungang('rounds', join(dir, 'county.xlsx'), '--out', join(dir, 'book'), '--stop-after', '2');
    expect(book.code, book.stderr).toBe(0);
    const two = await lungang('rounds', join(dir, 'in'), '--out', join(dir, 'two'), '--stop-after', '2');
    expect(two.code, two.stderr).toBe(0);
    const csv = (d: string) => readFile(join(dir, d, 'rounds.csv'), 'utf8');
    expect(await csv('book')).toMatch(/^2,跨校竞聘,.*,placed,/m);
    expect(await csv('book')).toBe(await csv('two'));
  });
});
