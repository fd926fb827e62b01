// GET /api/runs/:id/audit.pdf on a real run of the small county: a PDF built in the task worker
// whose every page carries the run's trace (dataset content hash, sha256 of the stored plan.csv
// and of the policy), whose text holds every rule of report.json and every school, readable by an
// auditor, in Chinese and English.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReadPdf, readPdf, squash } from '../helpers/pdf.ts';
import { FAST_POLICY, type TestServer, createScenario, otherConnection, removeDir, startRun, startServer, uploadSample, waitForRun } from './helpers.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer({ poolSize: 2 }); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

const sha = (x: string) => createHash('sha256').update(x).digest('hex');
const get = (url: string, cookie = s.cookie.auditor) => s.app.inject({ method: 'GET', url, headers: { cookie } });

interface Report {
  audit_ok: boolean;
  policy: object;
  rules: { id: string; name: string; ok: boolean }[];
  counts: { per_school: { school_id: string }[] };
}

describe('audit PDF of a run', () => {
  let runId: number;
  let report: Report;
  let planCsv: string;
  let datasetHash: string;
  let zh: ReadPdf;

  beforeAll(async () => {
    const d = await uploadSample(s, 'small-county', FAST_POLICY);
    const run = await startRun(s, (await createScenario(s, d.id, { name: '年度交流' })).id);
    expect((await waitForRun(s, run.id)).status).toBe('done');
    runId = run.id;
    report = (await get(`/api/runs/${runId}/report.json`)).json();
    planCsv = (await get(`/api/runs/${runId}/plan.csv`)).body;
    datasetHash = (await get(`/api/datasets/${d.id}`, s.cookie.planner)).json().content_hash;
    const res = await get(`/api/runs/${runId}/audit.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="run-${runId}-audit-zh.pdf"`);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    zh = await readPdf(res.rawPayload);
  });

  it('renders every page, with Noto Sans SC embedded', () => {
    expect(zh.rendered).toBe(zh.pages.length);
    expect(zh.renderErrors).toBe('');
    expect(zh.fonts).toMatch(/[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('carries the dataset, plan and policy hashes and the page number on every page', () => {
    expect(datasetHash).toMatch(/^[0-9a-f]{64}$/);
    const hashes = [datasetHash, sha(planCsv), sha(JSON.stringify(report.policy))];
    zh.pages.forEach((page, i) => {
      for (const h of hashes) expect(squash(page)).toContain(h);
      expect(squash(page)).toContain(`第${i + 1}/${zh.pages.length}页`);
    });
  });

  it('names the run, the auditor and the verdict, and holds every rule and every school', async () => {
    const all = squash(zh.pages.join('\n'));
    const run = (await get(`/api/runs/${runId}`)).json();
    expect(all).toContain('教师交流轮岗方案审计报告');
    expect(all).toContain(squash(`运行 #${runId} 年度交流`));
    expect(all).toContain(run.result_hash);
    expect(all).toContain('审计人auditor');
    expect(all).toContain(report.audit_ok ? '审核结论：全部通过' : '审核结论：未通过');
    for (const r of report.rules) expect(all).toContain(squash(`${r.name}${r.id}`));
    for (const school of report.counts.per_school) expect(all).toContain(school.school_id);
  });

  it('is in English with ?lang=en', async () => {
    const res = await get(`/api/runs/${runId}/audit.pdf?lang=en`);
    expect(res.statusCode).toBe(200);
    const text = (await readPdf(res.rawPayload)).pages.join('\n');
    for (const h of ['Teacher rotation plan — audit report', 'Rule checks', 'Outflow cap per school', 'CV summary']) expect(text).toContain(h);
  });

  it('answers 409 for a run whose stored report predates the per-school audit rows', async () => {
    const raw = await otherConnection(s);
    const stored = (await raw.get<{ report_json: string }>('SELECT report_json FROM runs WHERE id = ?', runId))!;
    const old = JSON.parse(stored.report_json);
    delete old.counts.per_school;
    await raw.run('UPDATE runs SET report_json = ? WHERE id = ?', JSON.stringify(old), runId);
    try {
      const res = await get(`/api/runs/${runId}/audit.pdf`);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toContain('请重新求解');
    } finally {
      await raw.run('UPDATE runs SET report_json = ? WHERE id = ?', stored.report_json, runId);
      await raw.close();
    }
  });

  it('answers 400 for another language and 404 for an unknown run', async () => {
    expect((await get(`/api/runs/${runId}/audit.pdf?lang=fr`)).statusCode).toBe(400);
    expect((await get('/api/runs/9999/audit.pdf')).statusCode).toBe(404);
  });
});
