// CSV injection (OWASP): no cell of any CSV the product writes may start like a spreadsheet formula
// (= + - @, tab, CR). Text that does gets a leading apostrophe; ids that do are refused on input
// (test/bad-inputs/*-formula-id), so plan.csv still reads back to the same teachers and schools.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvText, safeCell } from '../solver/contract/csv-text.ts';
import { planCsvText } from '../solver/report/plan-rows.ts';
import { parsePlanCsv } from '../server/contract-files.ts';
import { repoPath } from './helpers/datasets.ts';
import { lungang } from './helpers/lungang.ts';

const FORMULA = /^[=+\-@\t\r]/;

describe('csvText', () => {
  it('escapes every formula start in text, and nothing else', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(safeCell(s)).toBe(`'${s}`);
    for (const s of ['城关一小', '0101', 'a=b', '', "'already"]) expect(safeCell(s)).toBe(s);
    const text = csvText([{ a: '=cmd', b: -3, c: true, d: '一-二' }], ['a', 'b', 'c', 'd']);
    expect(parse(text, { columns: true })).toEqual([{ a: "'=cmd", b: '-3', c: 'true', d: '一-二' }]);
  });

  it('plan.csv: a reason that starts like a formula is escaped; the ids read back unchanged', () => {
    const text = planCsvText([{ teacher_id: 'T1', from_school_id: 'S1', to_school_id: 'S2', mode: 'transfer', reason: '=HYPERLINK("x")' }]);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    const back = parsePlanCsv('plan.csv', text);
    expect(back.ok && back.rows.map((r) => [r.teacher_id, r.from_school_id, r.to_school_id])).toEqual([['T1', 'S1', 'S2']]);
  });
});


describe('every CSV the CLI writes, for a county named like a formula', () => {
  it('plan.csv, eligibility.csv, frontier.csv and frontier-best.csv: no cell starts like a formula', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lungang-csv-'));
    const data = join(dir, 'data');
    await cp(repoPath('data', 'small-county'), data, { recursive: true });
    const schools = await readFile(join(data, 'schools.csv'), 'utf8');
    await writeFile(join(data, 'schools.csv'), schools.replaceAll(',鹤川县,', ',=1+1,'));
    expect((await lungang('plan', data, '--out', join(dir, 'plan'))).code).toBe(0);
    expect((await lungang('frontier', data, '--out', join(dir, 'frontier'), '--shares', '0.1,0.2', '--bounds')).code).toBe(0);
    const files = ['plan/plan.csv', 'plan/eligibility.csv', 'frontier/frontier.csv', 'frontier/frontier-best.csv', 'frontier/plans/0.20/plan.csv'];
    for (const f of files) {
      const rows: string[][] = parse(await readFile(join(dir, f), 'utf8'));
      expect(rows.length, f).toBeGreaterThan(1);
      for (const cell of rows.flat()) expect(cell, f).not.toMatch(FORMULA);
    }
    const frontier: Record<string, string>[] = parse(await readFile(join(dir, 'frontier', 'frontier.csv'), 'utf8'), { columns: true });
    expect(frontier.map((r) => r.county)).toEqual(["'=1+1", "'=1+1"]);
    const best: Record<string, string>[] = parse(await readFile(join(dir, 'frontier', 'frontier-best.csv'), 'utf8'), { columns: true });
    expect(best.every((r) => r.county === "'=1+1")).toBe(true);
  }, 300_000);
});
