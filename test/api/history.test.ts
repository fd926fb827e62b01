// history.csv through the API (issue 12): a generated county with history, scores and applications,
// with a paper rotation planted on top. The solve, the rounds and the audit apply the history as the
// CLI does — the history's stay locks bind the plan, report.json and the rounds carry the returns and
// the history checks, which find the planted teacher — and an XLSX workbook's 竞聘志愿 sheet is read
// as applications.csv, its bad rows reported as `book.xlsx!竞聘志愿:line: column`.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../solver/contract/dataset.ts';
import { applyHistory } from '../../solver/cycle/history.ts';
import { type TestServer, createScenario, removeDir, startRun, startServer, waitForRun } from './helpers.ts';
import { type Planted, plantHistory, roundsWorkbook, writeRoundsCounty } from '../helpers/rounds-county.ts';
import { readPdf } from '../helpers/pdf.ts';

interface Check { id: string; ok: boolean; teachers: { teacher_id: string; detail: string; detail_en: string }[] }
interface Return { teacher_id: string; from_school_id: string; to_school_id: string; mode: string; start_year: number; end_year: number; reason: string }
interface Rounds { rounds: { round: number; entered: number; placed: number }[]; audit_ok: boolean | null; rows: { round: number; teacher_id: string; outcome: string; to_school_id: string; from_school_id: string }[]; returns?: Return[]; history_checks?: Check[] }

let s: TestServer;
let files: Record<string, string>;
let planted: Planted;

const form = (entries: Record<string, string | Uint8Array<ArrayBuffer>>, fields: Record<string, string> = {}) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const [name, content] of Object.entries(entries)) f.append('files', new Blob([content]), name);
  return f;
};
const post = (url: string, payload: object | FormData) => s.app.inject({ method: 'POST', url, headers: { cookie: s.cookie.planner }, payload: payload as object });
const get = (url: string) => s.app.inject({ method: 'GET', url, headers: { cookie: s.cookie.planner } });
const found = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.id, c.teachers.map((t) => t.teacher_id)]));

beforeAll(async () => {
  s = await startServer({ poolSize: 2 });
  files = writeRoundsCounty(join(s.dir, 'county'));
  planted = await plantHistory(files);
});
afterAll(async () => { await s.close(); await removeDir(s.dir); });

describe('a run on a county with history', () => {
  let report: { returns: Return[]; history_checks: Check[]; stay_reasons: Record<string, string> };
  let planCsv: string;
  let expected: Awaited<ReturnType<typeof applyHistory>>;
  let datasetId: number;
  let scenarioId: number;
  let runId: number;

  beforeAll(async () => {
    const up = await post('/api/datasets', form(files, { name: 'history county' }));
    expect(up.statusCode, up.body).toBe(201);
    datasetId = up.json().id;
    scenarioId = (await createScenario(s, datasetId)).id;
    runId = (await startRun(s, scenarioId)).id;
    const done = await waitForRun(s, runId);
    expect(done.status, done.message ?? '').toBe('done');
    report = (await get(`/api/runs/${runId}/report.json`)).json();
    planCsv = (await get(`/api/runs/${runId}/plan.csv`)).body;
    const loaded = await loadDataset(Object.entries(files).map(([name, content]) => ({ name, content })));
    if (!loaded.ok) throw new Error('the county does not load');
    expected = applyHistory(loaded.dataset);
  }, 180_000);

  it('report.json has the returns the history gives, and the history checks find the planted teacher', () => {
    expect(expected.returns.map((r) => r.teacher_id)).toContain(planted.returning);
    expect(report.returns).toEqual(expected.returns);
    expect(report.history_checks.map((c) => c.id)).toEqual(['repeat_rotation', 'short_stay', 'immediate_return', 'deferral_limit']);
    const byId = found(report.history_checks);
    expect(byId.immediate_return).toEqual([planted.id]);
    expect(byId.repeat_rotation).toContain(planted.id);
    expect(report.history_checks.find((c) => c.id === 'immediate_return')!.teachers[0]!.detail).toBe(`2024年${planted.home}→${planted.other}，2025年即调回${planted.home}`);
  });

  it('the history\'s stay locks bind the plan and say why', () => {
    const moved = new Set(planCsv.split('\n').slice(1).map((l) => l.split(',')[0]));
    expect(expected.locks.length).toBeGreaterThan(0);
    for (const l of expected.locks) expect(moved.has(l.teacher_id), l.teacher_id).toBe(false);
    expect(report.stay_reasons[planted.id]).toContain('最短任期3年');
  });

  it('the run\'s audit document and a hand-made plan\'s audit carry the same history checks', async () => {
    const doc = (await get(`/api/runs/${runId}/audit`)).json();
    expect(doc.history_checks).toEqual(report.history_checks);
    expect(doc.returns).toEqual(report.returns);
    const f = new FormData();
    f.append('dataset_id', String(datasetId));
    f.append('scenario_id', String(scenarioId));
    f.append('plan', new Blob([planCsv]), 'plan.csv');
    const hand = await s.app.inject({ method: 'POST', url: '/api/audits', headers: { cookie: s.cookie.auditor }, payload: f as unknown as object });
    expect(hand.statusCode, hand.body).toBe(200);
    expect(hand.json().history_checks).toEqual(report.history_checks);
    expect(hand.json().returns).toBeUndefined(); // an audit lists the checks, as `lungang audit`
  });

  it('the run\'s workbook lists the returns and every finding', async () => {
    const res = await get(`/api/runs/${runId}/workbook.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = (sheet: string) => wb.getWorksheet(sheet)!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
    expect(rows('期满返回').map((r) => r[0])).toEqual(report.returns.map((r) => r.teacher_id));
    const findings = rows('交流记录核查');
    expect(findings.filter((r) => r[0] === 'immediate_return').map((r) => r[3])).toEqual([planted.id]);
    expect(findings.filter((r) => r[2] === '未发现').map((r) => r[0])).toEqual(report.history_checks.filter((c) => c.ok).map((c) => c.id));
  });

  it('the run\'s audit PDF has the returns and the history checks, the planted teacher named, in Chinese and in English', async () => {
    for (const [lang, returns, checks, none] of [['zh', '期满返回', '交流记录核查', '未发现'], ['en', 'Returns at the end of a term', 'History checks', 'None found']] as const) {
      const res = await get(`/api/runs/${runId}/audit.pdf?lang=${lang}`);
      expect(res.statusCode).toBe(200);
      const text = (await readPdf(res.rawPayload)).pages.join('\n');
      expect(text).toContain(returns);
      expect(text).toContain(checks);
      for (const c of report.history_checks) expect(text).toContain(c.id);
      expect(text).toContain(planted.id);
      expect(text).toContain(planted.returning);
      expect(text.includes(none)).toBe(report.history_checks.some((c) => c.ok));
    }
  });

  it('the rounds apply the history: the planted teacher keeps the post at home, the result lists the returns and checks', async () => {
    const res = await post(`/api/scenarios/${scenarioId}/rounds`, {});
    expect(res.statusCode, res.body).toBe(201);
    const r: Rounds = res.json();
    expect(r.rounds.map((x) => x.round)).toEqual([1, 2, 3]);
    const mine = r.rows.filter((x) => x.teacher_id === planted.id);
    expect(mine).toEqual([expect.objectContaining({ round: 1, outcome: 'placed', to_school_id: planted.home })]);
    expect(r.returns).toEqual(expected.returns);
    expect(found(r.history_checks!).immediate_return).toEqual([planted.id]);
    expect((await get(`/api/scenarios/${scenarioId}/rounds`)).json().history_checks).toEqual(r.history_checks);
  }, 180_000);
});

describe('applications in a workbook', () => {
  it('runs the rounds with the sheet\'s applications, as with applications.csv', async () => {
    const up = await post('/api/datasets', form({ 'county.xlsx': await roundsWorkbook(files), 'policy.json': files['policy.json']! }, { name: 'workbook county' }));
    expect(up.statusCode, up.body).toBe(201);
    const res = await post(`/api/scenarios/${(await createScenario(s, up.json().id)).id}/rounds`, { stop_after: 2 });
    expect(res.statusCode, res.body).toBe(201);
    const fromBook: Rounds = res.json();
    // The same county from CSVs, to round 2: the same placements.
    const csv = await post('/api/datasets', form(files, { name: 'csv county' }));
    const same: Rounds = (await post(`/api/scenarios/${(await createScenario(s, csv.json().id)).id}/rounds`, { stop_after: 2 })).json();
    const round2 = (r: Rounds) => r.rows.filter((x) => x.round === 2);
    expect(round2(fromBook).filter((x) => x.outcome === 'placed').length).toBeGreaterThan(0);
    expect(round2(fromBook)).toEqual(round2(same));
  }, 120_000);

  it('reports a bad row of the sheet as book.xlsx!竞聘志愿:line: column and stores nothing', async () => {
    const bad = `${files['applications.csv']!.trimEnd()}\nNOBODY,${planted.home},1\n`;
    const line = bad.trimEnd().split('\n').length;
    const before = (await get('/api/datasets')).json().items.length;
    const res = await post('/api/datasets', form({ 'county.xlsx': await roundsWorkbook(files, bad), 'policy.json': files['policy.json']! }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { text: string }) => e.text)).toContainEqual(expect.stringMatching(new RegExp(`^county\\.xlsx!竞聘志愿:${line}: teacher_id:`)));
    expect((await get('/api/datasets')).json().items.length).toBe(before);
  });
});
