// The audit document over HTTP: a hand-made plan's audit carries its own trace (the uploaded
// bytes' hash, the dataset's and the policy's, who and when) and the per-school rows; its
// workbook has the auditor's sheets; a run's document is the same shape with the run's hashes;
// English texts carry the thresholds of the policy in use.
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPdf, squash } from '../helpers/pdf.ts';
import { FAST_POLICY, type TestServer, createScenario, removeDir, startRun, startServer, uploadSample, waitForRun } from './helpers.ts';

let s: TestServer;
let datasetId: number;
let scenarioId: number;
let runId: number;
let planCsv: string;
let handPlan: string;

beforeAll(async () => {
  s = await startServer();
  datasetId = (await uploadSample(s, 'small-county', FAST_POLICY)).id;
  scenarioId = (await createScenario(s, datasetId, { name: '基准' })).id;
  runId = (await startRun(s, scenarioId)).id;
  expect((await waitForRun(s, runId)).status).toBe('done');
  planCsv = (await get(`/api/runs/${runId}/plan.csv`)).body;
  // Two moves of the run's plan: far below the rotation share, so the hand plan fails it.
  handPlan = planCsv.trim().split('\n').slice(0, 3).join('\n');
}, 120_000);
afterAll(async () => { await s.close(); await removeDir(s.dir); });

function get(url: string, cookie = s.cookie.auditor) {
  return s.app.inject({ method: 'GET', url, headers: { cookie } });
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function audit(fields: Record<string, string>, plan = handPlan, policy?: object) {
  const form = new FormData();
  form.append('dataset_id', String(datasetId));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('plan', new Blob([plan]), 'hand-plan.csv');
  if (policy) form.append('policy', new Blob([JSON.stringify(policy)]), 'policy.json');
  return s.app.inject({ method: 'POST', url: '/api/audits', headers: { cookie: s.cookie.auditor }, payload: form });
}

async function workbook(raw: Buffer) {
  const wb = new ExcelJS.Workbook();
  const ab = new ArrayBuffer(raw.byteLength);
  new Uint8Array(ab).set(raw);
  await wb.xlsx.load(ab);
  const rows = (name: string) => {
    const ws = wb.getWorksheet(name);
    if (!ws) throw new Error(`no sheet ${name}`);
    const out: unknown[][] = [];
    ws.eachRow((row) => { out.push((row.values as unknown[]).slice(1)); });
    return out;
  };
  return { names: wb.worksheets.map((w) => w.name), rows };
}

describe('the audit of a hand-made plan', () => {
  it('returns the audit document: the trace of the uploaded bytes, and a row per school for the outflow cap and the quota', async () => {
    const res = await audit({ scenario_id: String(scenarioId) });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const dataset = (await get(`/api/datasets/${datasetId}`)).json();
    expect(doc.audit_ok).toBe(false);
    expect(doc.trace).toMatchObject({
      subject: 'hand_plan', run_id: null, result_hash: null, plan_file: 'hand-plan.csv', plan_hash: sha256(handPlan), plan_rows: 2,
      dataset_id: datasetId, dataset_hash: dataset.content_hash, scenario_id: scenarioId, scenario_name: '基准', audited_by: 'auditor',
    });
    expect(doc.trace.policy_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.now() - Date.parse(doc.trace.audited_at)).toBeLessThan(60_000);
    expect(doc.status).toBeNull();
    expect(doc.policy.ratios.minRotatedShareOfEligible).toBe(0.1);
    const rotation = doc.rules.find((r: { id: string }) => r.id === 'rotation_share');
    expect(rotation).toMatchObject({ ok: false, numerator: 2, denominator: doc.counts.eligible });
    expect(doc.counts.per_school).toHaveLength(dataset.schools);
    for (const row of doc.counts.per_school) {
      expect(row.outflow_ok).toBe(row.outflow <= row.outflow_cap);
      expect(row.teachers_after).toBe(row.teachers_before - row.outflow + row.inflow);
      expect(row.quota_ok).toBe(row.teachers_after <= row.quota_limit);
    }
    const out = doc.rules.find((r: { id: string }) => r.id === 'outflow_cap');
    expect(out).toMatchObject({ ok: true, numerator: 0, denominator: dataset.schools });
    expect(doc.counts.by_mode.map((m: { mode: string }) => m.mode)).toEqual(['transfer', 'support', 'itinerant', 'shadow']);
    expect(doc.counts.transfer_rate_of_establishment).toBeCloseTo(doc.counts.transfers / doc.counts.on_establishment, 12);
  });

  it('format=xlsx: the rules sheet with numerator and denominator, the two per-school sheets, moves by kind and the trace', async () => {
    const res = await audit({ format: 'xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const doc = (await audit({})).json();
    const book = await workbook(res.rawPayload);
    expect(book.names).toEqual(['交流方案', '规则检查', '每校流出上限', '每校编制', '交流方式', '交流载体与成效', '班额与规模', '审核信息', '学校指标', '差异系数']);
    expect(book.rows('交流方案')).toHaveLength(3);
    const [head, ...rules] = book.rows('规则检查');
    expect(head!.slice(0, 8)).toEqual(['县区', '规则编号', '规则', '分子', '分母', '要求', '实际', '是否满足']);
    const rotation = rules.find((r) => r[1] === 'rotation_share')!;
    const json = doc.rules.find((r: { id: string }) => r.id === 'rotation_share');
    expect(rotation.slice(3, 8)).toEqual([2, doc.counts.eligible, json.required, json.actual, '不通过']);
    const outflow = book.rows('每校流出上限');
    expect(outflow[0]).toEqual(['县区', '学校代码', '学校名称', '交流前教师数', '流出', '上限 ⌊20% × 教师数⌋', '是否满足']);
    expect(outflow.slice(1).map((r) => [r[1], r[3], r[4], r[5]])).toEqual(doc.counts.per_school.map((p: Record<string, unknown>) => [p.school_id, p.teachers_before, p.outflow, p.outflow_cap]));
    const quota = book.rows('每校编制');
    expect(quota.slice(1).map((r) => [r[1], r[6], r[7], r[9], r[10], r[11]])).toEqual(doc.counts.per_school.map((p: Record<string, unknown>) =>
      [p.school_id, p.teachers_after, p.quota, p.quota_limit, p.quota_excess, p.quota_ok ? '通过' : '不通过']));
    const modes = book.rows('交流方式');
    expect(modes.slice(1, 1 + doc.counts.by_mode.length).map((r) => [r[1], r[2], r[4]])).toEqual(doc.counts.by_mode.map((m: { rotated: number; counts_toward_rotation: boolean }) =>
      [expect.any(String), m.rotated, m.counts_toward_rotation ? '是' : '否'])); // 顶岗培养 is counted out by default
    const rate = modes.find((r) => String(r[1]).startsWith('带编流动率'))!;
    expect([rate[2], rate[5], rate[6]]).toEqual([doc.counts.transfers, doc.counts.on_establishment, doc.counts.transfer_rate_of_establishment]);
    const share = modes.find((r) => String(r[1]).startsWith('交流比例'))!;
    expect([share[2], share[5], share[6]]).toEqual([doc.counts.counted_rotated, doc.counts.eligible, doc.counts.rotation_rate]);
    const trace = Object.fromEntries(book.rows('审核信息').map((r) => [r[0], r[1]]));
    expect(trace['方案文件校验码（SHA-256）']).toBe(sha256(handPlan));
    expect(trace['审核对象']).toBe('手工方案 hand-plan.csv');
    expect(trace['运行结果校验码']).toMatch(/^—/);
    expect(trace['交流人数不低于符合条件教师的']).toBe('10%');
    expect(trace['审核结论']).toMatch(/^未通过/);
  });

  it('English texts carry the thresholds of the policy in use: a 15% policy says 15%, in JSON and in the English workbook', async () => {
    const policy = { ratios: { minRotatedShareOfEligible: 0.15 } };
    const doc = (await audit({}, handPlan, policy)).json();
    const rotation = doc.rules.find((r: { id: string }) => r.id === 'rotation_share');
    const need = Math.ceil(0.15 * doc.counts.eligible - 1e-9);
    expect(rotation.required_en).toBe(`≥ ${need} (⌈15% × ${doc.counts.eligible} eligible⌉)`);
    expect(rotation.required).toContain('15%');
    const book = await workbook((await audit({ format: 'xlsx', lang: 'en' }, handPlan, policy)).rawPayload);
    expect(book.names).toEqual(['Plan', 'Rules', 'Outflow cap per school', 'Quota per school', 'Moves by kind', 'Carriers', 'Size caps', 'Trace', 'School indicators', 'CV']);
    const row = book.rows('Rules').find((r) => r[1] === 'rotation_share')!;
    expect(row[5]).toBe(rotation.required_en);
    expect(row[7]).toBe('FAIL');
    // No Chinese left in the English rules sheet but the clause citations' document numbers.
    for (const r of book.rows('Rules')) expect(String(r[2]) + String(r[5]) + String(r[6]), String(r[1])).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('format=pdf: the hand plan\'s PDF (auditPdf) with its hash on every page, its failing rule, and no run\'s result hash', async () => {
    const res = await audit({ format: 'pdf' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.pages.length).toBeGreaterThan(0);
    for (const page of pdf.pages) expect(squash(page)).toContain(sha256(handPlan));
    const run = (await get(`/api/runs/${runId}`)).json();
    expect(squash(pdf.pages.join(''))).not.toContain(run.result_hash);
    expect(squash(pdf.pages.join(''))).toContain('rotation_share');
  });

  it('rejects an unknown format or language', async () => {
    expect((await audit({ format: 'docx' })).statusCode).toBe(400);
    expect((await audit({ lang: 'fr' })).statusCode).toBe(400);
  });
});

describe('a run\'s audit document', () => {
  it('has the same shape, traced to the run: its result hash and the hash of its stored plan.csv', async () => {
    const res = await get(`/api/runs/${runId}/audit`);
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const run = (await get(`/api/runs/${runId}`)).json();
    expect(doc.trace).toMatchObject({ subject: 'run', run_id: runId, result_hash: run.result_hash, plan_hash: sha256(planCsv), plan_file: null, audited_by: 'auditor' });
    expect(doc.audit_ok).toBe(true);
    expect(doc.status).toBe('optimal');
    expect(doc.counts.per_school.length).toBeGreaterThan(0);
    const book = await workbook((await get(`/api/runs/${runId}/workbook.xlsx`)).rawPayload);
    const trace = Object.fromEntries(book.rows('审核信息').map((r) => [r[0], r[1]]));
    expect(trace['运行结果校验码']).toBe(run.result_hash);
    expect(trace['审核对象']).toBe(`运行 #${runId}`);
  });
});
