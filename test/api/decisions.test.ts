// What leaders and auditors do with runs: compare 2–4 side by side and teacher by teacher,
// audit any plan against a dataset + policy, and adopt one run — after which it and its inputs
// are immutable and every read re-verifies the stored hashes.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FAST_POLICY, type TestServer, createScenario, otherConnection, removeDir, sampleDir, sampleForm, startRun, startServer, uploadSample, waitForRun } from './helpers.ts';

let s: TestServer;
let datasetId: number;
let scenarioA: number;
let scenarioB: number;
let runA: number;
let runB: number;
let cancelled: number;

beforeAll(async () => {
  s = await startServer({ poolSize: 2 });
  datasetId = (await uploadSample(s, 'small-county', FAST_POLICY)).id;
  scenarioA = (await createScenario(s, datasetId, { name: '基准' })).id;
  scenarioB = (await createScenario(s, datasetId, { name: '多交流', policy: { ratios: { minRotatedShareOfEligible: 0.35 } } })).id;
  [runA, runB] = [(await startRun(s, scenarioA)).id, (await startRun(s, scenarioB)).id];
  const c = await startRun(s, scenarioA);
  await s.app.inject({ method: 'POST', url: `/api/runs/${c.id}/cancel`, headers: { cookie: s.cookie.planner } });
  cancelled = c.id;
  for (const id of [runA, runB]) expect((await waitForRun(s, id)).status).toBe('done');
});
afterAll(async () => { await s.close(); await removeDir(s.dir); });

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const req = (method: Method, url: string, cookie: string, payload?: object | FormData) =>
  s.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

describe('comparisons', () => {
  it('lines up rules, rotation, backbone share, needs, CV, thresholds, flows and commute of 2 runs', async () => {
    const res = await req('GET', `/api/comparisons?runs=${runA},${runB}`, s.cookie.leader);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.runs.map((r: { run_id: number; scenario_name: string }) => [r.run_id, r.scenario_name])).toEqual([[runA, '基准'], [runB, '多交流']]);
    const [a, b] = c.runs;
    expect(b.rotated).toBeGreaterThanOrEqual(Math.ceil(0.35 * b.eligible));
    expect(b.rotated).toBeGreaterThan(a.rotated);
    expect(a.audit_ok && b.audit_ok).toBe(true);
    for (const r of c.runs) {
      expect(r.needs.filled).toBeCloseTo(r.needs.shortfall_before - r.needs.shortfall_after, 1);
      expect(r.commute.measured).toBeLessThanOrEqual(r.rotated);
      expect(r.toward_rural_or_weak).toBeLessThanOrEqual(r.rotated);
      expect(r.backbone_share).toBeCloseTo(r.backbone_rotated / r.rotated, 9);
    }
    const rotation = c.rules.find((r: { id: string }) => r.id === 'rotation_share');
    expect(rotation.runs).toHaveLength(2);
    expect(rotation.runs.every((x: { ok: boolean }) => x.ok)).toBe(true);
    expect(rotation.runs[1].required).not.toBe(rotation.runs[0].required);
    expect(c.cv.length).toBeGreaterThan(0);
    for (const row of c.cv) expect(row.runs[0].before).toBe(row.runs[1].before);
    const all = c.thresholds.find((t: { stage: string; indicator: string }) => t.stage === 'primary' && t.indicator === 'all');
    expect(all.runs[0].schools).toBeGreaterThan(0);
    expect(all.runs[0].after).toBeLessThanOrEqual(all.runs[0].schools);
  });

  it('holds each run to its own requirement and budget, lists the differing assumptions, and lines up every school', async () => {
    await req('PUT', `/api/scenarios/${scenarioB}/notes`, s.cookie.leader, { notes: '党组会前再看<b>一次</b>' });
    const c = (await req('GET', `/api/comparisons?runs=${runA},${runB}`, s.cookie.leader)).json();
    const reports = await Promise.all([runA, runB].map(async (id) => (await req('GET', `/api/runs/${id}/report.json`, s.cookie.leader)).json()));
    expect(c.runs.map((r: { requirements: { min_rotated_share: number } }) => r.requirements.min_rotated_share)).toEqual([0.1, 0.35]);
    c.runs.forEach((r: { requirements: { min_rotated: number; max_rotated: number; eligible: number } }, i: number) => {
      const [budget] = reports[i].budget;
      expect([r.requirements.eligible, r.requirements.min_rotated, r.requirements.max_rotated]).toEqual([budget.eligible, budget.min_rotated, budget.max_rotated]);
    });
    expect(c.runs[1].requirements.min_rotated).toBe(Math.ceil(0.35 * c.runs[1].eligible));
    expect(c.runs.map((r: { notes: string }) => r.notes)).toEqual(['', '党组会前再看<b>一次</b>']);
    expect(c.assumptions).toEqual({ policy: [{ path: ['ratios', 'minRotatedShareOfEligible'], values: [0.1, 0.35] }], locks: [], baseline: null, dataset: null });
    for (const [i, report] of reports.entries()) {
      for (const school of report.counts.per_school) {
        const row = c.schools.find((x: { school_id: string }) => x.school_id === school.school_id);
        expect(row.runs[i]).toMatchObject({ teachers_before: school.teachers_before, outflow: school.outflow, inflow: school.inflow, teachers_after: school.teachers_after, quota: school.quota });
      }
      for (const x of report.indicators.schools) {
        const row = c.school_stages.find((y: { school_id: string; stage: string }) => y.school_id === x.school_id && y.stage === x.stage);
        expect(row.runs[i].after.pe_art_per100).toBe(x.after.pe_art_per100);
        expect(row.runs[i].after.pe_art_ok).toBe(x.after.pe_art_ok);
      }
      for (const x of report.indicators.cv) {
        const row = c.cv.find((y: { stage: string; indicator: string }) => y.stage === x.stage && y.indicator === x.indicator);
        expect(row.runs[i]).toMatchObject({ max: x.max, before: x.before.cv, after: x.after.cv, mean_after: x.after.mean_per100 });
        expect(row.runs[i].share_of_achievable).toBe(x.share_of_achievable ?? null);
      }
    }
  });

  it('exports the comparison as an XLSX workbook whose overview holds each run\'s own numbers', async () => {
    const res = await req('GET', `/api/comparisons.xlsx?runs=${runA},${runB}`, s.cookie.leader);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(res.rawPayload).buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['比较概览', '假设对比', '学校对比', '学校指标', '规则检查']);
    const c = (await req('GET', `/api/comparisons?runs=${runA},${runB}`, s.cookie.leader)).json();
    const overview = wb.getWorksheet('比较概览')!;
    const row = (label: string) => overview.getRows(1, overview.rowCount)!.find((r) => r.getCell(1).value === label)!;
    // Columns: 指标, 交流前, then per run 要求 / 交流后 / 较交流前.
    c.runs.forEach((r: { rotated: number; rotation_rate: number; requirements: { min_rotated: number; max_rotated: number } }, i: number) => {
      expect(row('交流人数').getCell(3 + 3 * i).value).toBe(`${r.requirements.min_rotated}–${r.requirements.max_rotated} 人`);
      expect(row('交流人数').getCell(4 + 3 * i).value).toBe(r.rotated);
      expect(row('交流比例（占符合条件）').getCell(4 + 3 * i).value).toBeCloseTo(r.rotation_rate, 12);
    });
    expect(row('交流比例（占符合条件）').getCell(3).value).toBe('≥ 10%（上限空 = 最低人数）');
    expect(row('交流比例（占符合条件）').getCell(6).value).toBe('≥ 35%（上限空 = 最低人数）');
    const cv = c.cv.find((x: { stage: string; indicator: string }) => x.stage === 'primary' && x.indicator === 'peArt');
    const cvRow = row('小学体育艺术专任教师差异系数');
    expect(cvRow.getCell(2).value).toBeCloseTo(cv.runs[0].before, 4);
    expect(cvRow.getCell(7).value).toBeCloseTo(cv.runs[1].after, 4);
    const assumptions = wb.getWorksheet('假设对比')!.getRow(2).values as unknown[];
    expect(assumptions.slice(1)).toEqual(['政策参数', '交流人数不低于符合条件教师的', '10%', '35%']);
    const schools = wb.getWorksheet('学校对比')!;
    expect(schools.rowCount - 1).toBe(c.schools.length);
    expect((await req('GET', `/api/comparisons.xlsx?runs=${runA}`, s.cookie.leader)).statusCode).toBe(400);
    expect((await req('GET', `/api/comparisons.xlsx?runs=${runA},${runB}`, s.cookie.planner)).statusCode).toBe(403);
  });

  it('400 for fewer than 2 or more than 4 runs, 409 for a run without results, 404 for an unknown run', async () => {
    expect((await req('GET', `/api/comparisons?runs=${runA}`, s.cookie.leader)).statusCode).toBe(400);
    expect((await req('GET', `/api/comparisons?runs=${runA},${runA}`, s.cookie.leader)).statusCode).toBe(400);
    expect((await req('GET', '/api/comparisons?runs=1,2,3,4,5', s.cookie.leader)).statusCode).toBe(400);
    expect((await req('GET', '/api/comparisons?runs=a,b', s.cookie.leader)).statusCode).toBe(400);
    expect((await req('GET', `/api/comparisons?runs=${runA},${cancelled}`, s.cookie.leader)).statusCode).toBe(409);
    expect((await req('GET', `/api/comparisons?runs=${runA},9999`, s.cookie.leader)).statusCode).toBe(404);
  });

  it('gives the per-teacher difference between two runs', async () => {
    const res = await req('GET', `/api/comparisons/teachers?a=${runA}&b=${runB}`, s.cookie.leader);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    const plan = async (id: number) => (await req('GET', `/api/runs/${id}/result`, s.cookie.leader)).json().plan as { teacher_id: string; to_school_id: string }[];
    const [pa, pb] = [await plan(runA), await plan(runB)];
    const ids = new Set([...pa, ...pb].map((r) => r.teacher_id));
    expect(d.same + d.rows.length).toBe(ids.size);
    expect(d.rows.length).toBeGreaterThan(0);
    for (const r of d.rows) {
      expect(r.name.length).toBeGreaterThan(0);
      const inA = pa.find((x) => x.teacher_id === r.teacher_id);
      expect(r.a_to_school_id).toBe(inA?.to_school_id ?? null);
      expect(r.change).toBe(inA && r.b_to_school_id ? 'different_destination' : inA ? 'only_a' : 'only_b');
    }
  });
});

describe('comparing runs of two datasets', () => {
  it('never puts one dataset\'s name on the other\'s teacher: an id named differently shows both names', async () => {
    // The same roster with every name changed (乙…): the ids are the same, the people are not.
    const teachers = (await readFile(join(sampleDir('small-county'), 'teachers.csv'), 'utf8')).split('\n')
      .map((line, i) => (i === 0 || line === '' ? line : line.replace(/^([^,]*),([^,]*),/, '$1,乙$2,'))).join('\n');
    const up = await req('POST', '/api/datasets', s.cookie.planner, await sampleForm('small-county', { 'teachers.csv': teachers, 'policy.json': JSON.stringify(FAST_POLICY) }, '乙'));
    expect(up.statusCode, up.body).toBe(201);
    const other = (await createScenario(s, up.json().id, { name: '乙多交流', policy: { ratios: { minRotatedShareOfEligible: 0.35 } } })).id;
    const runC = (await startRun(s, other)).id;
    expect((await waitForRun(s, runC)).status).toBe('done');
    const d = (await req('GET', `/api/comparisons/teachers?a=${runA}&b=${runC}`, s.cookie.leader)).json();
    expect(d.rows.length).toBeGreaterThan(0);
    for (const r of d.rows as { name: string }[]) {
      const [a, b] = r.name.split(' / ');
      expect(b, r.name).toBe(`乙${a}`);
    }
  });
});

describe('audits', () => {
  const auditForm = (fields: Record<string, string>, files: Record<string, [string, string]>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [k, [name, text]] of Object.entries(files)) form.append(k, new Blob([text]), name);
    return form;
  };
  let planCsv: string;
  beforeAll(async () => { planCsv = (await req('GET', `/api/runs/${runA}/plan.csv`, s.cookie.auditor)).body; });

  it('passes our own plan, with the numbers behind every rule', async () => {
    const res = await req('POST', '/api/audits', s.cookie.auditor, auditForm({ dataset_id: String(datasetId), scenario_id: String(scenarioA) }, { plan: ['plan.csv', planCsv] }));
    expect(res.statusCode).toBe(200);
    const a = res.json();
    expect(a).toMatchObject({ dataset_id: datasetId, scenario_id: scenarioA, audit_ok: true });
    expect(a.plan_rows).toBe(planCsv.trim().split('\n').length - 1);
    expect(a.rules.find((r: { id: string }) => r.id === 'rotation_share')).toMatchObject({ ok: true, numerator: a.plan_rows });
  });

  it('fails a hand-broken plan (200, audit_ok false) and a stricter uploaded policy.json', async () => {
    const lines = planCsv.trim().split('\n');
    const broken = [...lines, lines[1]!].join('\n');
    const res = await req('POST', '/api/audits', s.cookie.auditor, auditForm({ dataset_id: String(datasetId) }, { plan: ['hand.csv', broken] }));
    expect(res.statusCode).toBe(200);
    expect(res.json().audit_ok).toBe(false);
    expect(res.json().rules.find((r: { id: string }) => r.id === 'plan_integrity').ok).toBe(false);

    const strict = await req('POST', '/api/audits', s.cookie.auditor, auditForm({ dataset_id: String(datasetId) }, {
      plan: ['plan.csv', planCsv], policy: ['policy.json', JSON.stringify({ ratios: { minRotatedShareOfEligible: 0.9 } })],
    }));
    expect(strict.json().audit_ok).toBe(false);
    expect(strict.json().rules.find((r: { id: string }) => r.id === 'rotation_share').ok).toBe(false);
  });

  it('422 for a malformed plan or policy (file:line: column), 400/404 for bad references', async () => {
    const malformed = await req('POST', '/api/audits', s.cookie.auditor, auditForm({ dataset_id: String(datasetId) }, { plan: ['plan.csv', 'teacher_id,to_school_id\nT1,S1\n'] }));
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().errors[0].text).toMatch(/^plan\.csv:1: from_school_id: /);
    const badPolicy = await req('POST', '/api/audits', s.cookie.auditor, auditForm({ dataset_id: String(datasetId) }, {
      plan: ['plan.csv', planCsv], policy: ['policy.json', '{"year": "soon"}'],
    }));
    expect(badPolicy.statusCode).toBe(422);
    expect(badPolicy.json().errors[0].text).toMatch(/^policy\.json:1: year: /);
    expect((await req('POST', '/api/audits', s.cookie.auditor, auditForm({}, { plan: ['plan.csv', planCsv] }))).statusCode).toBe(400);
    expect((await req('POST', '/api/audits', s.cookie.auditor, auditForm({ dataset_id: String(datasetId) }, {}))).statusCode).toBe(400);
    expect((await req('POST', '/api/audits', s.cookie.auditor, auditForm({ dataset_id: '9999' }, { plan: ['plan.csv', planCsv] }))).statusCode).toBe(404);
    const other = await uploadSample(s, 'tiny');
    const foreign = await req('POST', '/api/audits', s.cookie.auditor, auditForm({ dataset_id: String(other.id), scenario_id: String(scenarioA) }, { plan: ['plan.csv', planCsv] }));
    expect(foreign.statusCode).toBe(400);
  });
});

describe('adoption', () => {
  it('adopts a done run once; one adopted run per dataset; only done runs', async () => {
    const res = await req('POST', `/api/runs/${runA}/adopt`, s.cookie.leader);
    expect(res.statusCode).toBe(200);
    expect(res.json().adopted_at).toBeTruthy();
    expect(res.json().adopted_by).toBe((await req('GET', '/api/session', s.cookie.leader)).json().user.id);
    expect((await req('POST', `/api/runs/${runA}/adopt`, s.cookie.leader)).statusCode).toBe(409);
    const second = await req('POST', `/api/runs/${runB}/adopt`, s.cookie.leader);
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toContain(`已采纳运行 #${runA}`);
    expect((await req('POST', `/api/runs/${cancelled}/adopt`, s.cookie.leader)).statusCode).toBe(409);
    expect((await req('POST', '/api/runs/9999/adopt', s.cookie.leader)).statusCode).toBe(404);
    expect((await req('GET', `/api/datasets/${datasetId}`, s.cookie.leader)).json().adopted_run_id).toBe(runA);
    expect((await req('GET', '/api/runs?adopted=true', s.cookie.leader)).json().items.map((r: { id: number }) => r.id)).toEqual([runA]);
  });

  it('freezes the adopted run, its scenario and its dataset (409), while copies stay editable', async () => {
    const planner = s.cookie.planner;
    const edit = await req('PATCH', `/api/scenarios/${scenarioA}`, planner, { notes: '改' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error).toContain('已被采纳');
    expect((await req('PUT', `/api/scenarios/${scenarioA}/notes`, s.cookie.leader, { notes: '改' })).statusCode).toBe(409);
    expect((await req('DELETE', `/api/scenarios/${scenarioA}`, planner)).statusCode).toBe(409);
    expect((await req('DELETE', `/api/runs/${runA}`, planner)).statusCode).toBe(409);
    expect((await req('DELETE', `/api/datasets/${datasetId}`, planner)).statusCode).toBe(409);
    const copy = await req('POST', `/api/scenarios/${scenarioA}/copy`, planner);
    expect(copy.statusCode).toBe(201);
    expect((await req('PATCH', `/api/scenarios/${copy.json().id}`, planner, { notes: '改' })).statusCode).toBe(200);
    // Other scenarios of the dataset are not inputs of the adopted run.
    expect((await req('PATCH', `/api/scenarios/${scenarioB}`, planner, { notes: '改' })).statusCode).toBe(200);
    const log = (await req('GET', `/api/activity?entity=run&entity_id=${runA}`, s.cookie.auditor)).json().items;
    expect(log.map((l: { action: string }) => l.action)).toContain('run.adopt');
  });

  it('re-verifies stored hashes on every read: tampered results or dataset files answer 409', async () => {
    expect((await req('GET', `/api/runs/${runA}`, s.cookie.auditor)).statusCode).toBe(200);
    const raw = await otherConnection(s);
    const original = (await raw.get<{ report_json: string }>('SELECT report_json FROM runs WHERE id = ?', runA))!.report_json;
    await raw.run('UPDATE runs SET report_json = ? WHERE id = ?', original.replace('"audit_ok": true', '"audit_ok": false'), runA);
    for (const url of [`/api/runs/${runA}`, `/api/runs/${runA}/result`, `/api/runs/${runA}/report.json`, `/api/runs/${runA}/plan.csv`, `/api/comparisons?runs=${runA},${runB}`]) {
      const res = await req('GET', url, s.cookie.leader);
      expect(res.statusCode, url).toBe(409);
      expect(res.json().error).toMatch(/^完整性校验失败：运行 #\d+ 的输入或结果与存储的哈希不一致/);
    }
    await raw.run('UPDATE runs SET report_json = ? WHERE id = ?', original, runA);
    expect((await req('GET', `/api/runs/${runA}`, s.cookie.leader)).statusCode).toBe(200);

    const bytes = (await raw.get<{ content: Buffer }>("SELECT content FROM dataset_files WHERE dataset_id = ? AND name = 'teachers.csv'", datasetId))!.content;
    await raw.run("UPDATE dataset_files SET content = ? WHERE dataset_id = ? AND name = 'teachers.csv'", Buffer.from(bytes.toString().replaceAll('F', 'M')), datasetId);
    const files = await req('GET', `/api/runs/${runA}/plan.csv`, s.cookie.leader);
    expect(files.statusCode).toBe(409);
    expect(files.json().error).toContain('teachers.csv 与存储的哈希不一致');
    // A run that is not adopted is not affected by the check.
    expect((await req('GET', `/api/runs/${runB}`, s.cookie.leader)).statusCode).toBe(200);
    await raw.run("UPDATE dataset_files SET content = ? WHERE dataset_id = ? AND name = 'teachers.csv'", bytes, datasetId);

    // The parsed rows too: a name changed in the database (workbooks and listings read it) is caught.
    const teacher = (await raw.get<{ seq: number; name: string }>('SELECT seq, name FROM dataset_teachers WHERE dataset_id = ? ORDER BY seq LIMIT 1', datasetId))!;
    await raw.run('UPDATE dataset_teachers SET name = ? WHERE dataset_id = ? AND seq = ?', '某某', datasetId, teacher.seq);
    const renamed = await req('GET', `/api/runs/${runA}/result`, s.cookie.leader);
    expect(renamed.statusCode).toBe(409);
    expect(renamed.json().error).toContain('数据集解析行（学校、教师）与存储的哈希不一致');
    await raw.run('UPDATE dataset_teachers SET name = ? WHERE dataset_id = ? AND seq = ?', teacher.name, datasetId, teacher.seq);
    expect((await req('GET', `/api/runs/${runA}/result`, s.cookie.leader)).statusCode).toBe(200);
    await raw.close();
  });
});
