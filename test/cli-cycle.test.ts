// `lungang posts` and `lungang notice` as a planner runs them: files written, sums, exit codes, and
// bad input reported as file:line: column with nothing written.
import { access, cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { repoPath } from './helpers/datasets.ts';
import { lungang } from './helpers/lungang.ts';

const exists = (p: string) => access(p).then(() => true, () => false);
const tmp = () => mkdtemp(join(tmpdir(), 'lungang-cycle-'));

describe('lungang posts', () => {
  it('writes posts.csv whose posts add up to the county total it prints', async () => {
    const out = join(await tmp(), 'posts.csv');
    const r = await lungang('posts', repoPath('data', 'small-county'), '--out', out);
    expect(r.code).toBe(0);
    const total = Number(/编制总量 (\d+)/.exec(r.stdout)?.[1]);
    const rows = parse(await readFile(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['school_id', 'stage', 'subject', 'posts', 'senior', 'first', 'second', 'rule']);
    expect(rows.reduce((a, x) => a + Number(x.posts), 0)).toBe(total);
    expect(total).toBeGreaterThan(0);
    expect(rows.every((x) => x.rule!.includes('岗位结构'))).toBe(true);
  });

  it('a bad posts.csv beside the data: exit 2, file:line: column, nothing written', async () => {
    const dir = await tmp();
    await cp(repoPath('data', 'small-county'), dir, { recursive: true });
    await writeFile(join(dir, 'posts.csv'), 'school_id,stage,subject,posts\nS001,primary,chinese,-1\nS001,primary,latin,2\n');
    const out = join(dir, 'out.csv');
    const r = await lungang('posts', dir, '--out', out, '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('posts.csv:2: posts: ');
    expect(r.stderr).toContain('posts.csv:3: subject: ');
    expect(await exists(out)).toBe(false);
  });
});

describe('lungang notice', () => {
  it('writes the eligible list as a printable page and a hand-made plan as XLSX (a draft unless --adopted)', async () => {
    const dir = await tmp();
    const page = join(dir, 'eligible.html');
    const el = await lungang('notice', repoPath('data', 'small-county'), '--list', 'eligible', '--out', page);
    expect(el.code).toBe(0);
    expect(await readFile(page, 'utf8')).toContain('<h1>2026 年义务教育学校符合交流条件教师名单（公示）</h1>');
    const plan = join(dir, 'plan.csv');
    await writeFile(plan, 'teacher_id,from_school_id,to_school_id,mode\nT00002,S001,S003,support\n');
    const draft = await lungang('notice', repoPath('data', 'small-county'), '--list', 'plan', '--plan', plan, '--out', join(dir, 'plan.xlsx'));
    expect(draft.code).toBe(0);
    expect(draft.stdout).toContain('（草案，未采纳）：1 行');
    const final = await lungang('notice', repoPath('data', 'small-county'), '--list', 'plan', '--plan', plan, '--adopted', '--out', join(dir, 'plan.html'));
    expect(final.stdout).toContain('交流轮岗名单（公示）：1 行');
    expect(await readFile(join(dir, 'plan.html'), 'utf8')).toContain('<td>黄文梅</td><td>小学</td><td>语文</td>');
  });
});
