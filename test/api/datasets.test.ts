// Datasets over HTTP: multipart CSVs or one XLSX, all-or-nothing validation with the CLI's
// `file:line: column` errors, content hashes, paged/searchable listings, masking for auditors,
// deleting only when unused, and request size limits.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../server/hashes.ts';
import { repoPath } from '../helpers/datasets.ts';
import { type TestServer, createScenario, removeDir, sampleDir, sampleForm, startServer, uploadSample } from './helpers.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

const get = (url: string, cookie = s.cookie.planner) => s.app.inject({ method: 'GET', url, headers: { cookie } });
const upload = (payload: FormData | string, headers: Record<string, string> = {}) =>
  s.app.inject({ method: 'POST', url: '/api/datasets', headers: { cookie: s.cookie.planner, ...headers }, payload });
const datasetCount = async () => (await get('/api/datasets')).json().items.length as number;

describe('upload', () => {
  it('stores a valid upload with its files, counts and content hash (201)', async () => {
    const form = await sampleForm('small-county', { 'readme.txt': 'not a contract file' }, '鹤川县 2026');
    const res = await upload(form);
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(res.headers.location).toBe(`/api/datasets/${d.id}`);
    expect(d).toMatchObject({ name: '鹤川县 2026', schools: 14, teachers: 299, counties: ['鹤川县'], scenarios: 0, adopted_run_id: null, ignored_files: ['readme.txt'] });
    expect(d.files.map((f: { name: string }) => f.name)).toEqual(['locks.csv', 'policy.json', 'preferences.csv', 'schools.csv', 'teachers.csv']);
    const files = await Promise.all(d.files.map(async (f: { name: string }) => ({ name: f.name, content: await readFile(join(sampleDir('small-county'), f.name)) })));
    expect(d.content_hash).toBe(contentHash(files));
    const teachers = d.files.find((f: { name: string }) => f.name === 'teachers.csv');
    expect(teachers.size).toBe((await readFile(join(sampleDir('small-county'), 'teachers.csv'))).length);
  });

  it('rejects a bad row with 422 and every error as file:line: column, storing nothing', async () => {
    const before = await datasetCount();
    const bad = await readFile(repoPath('test', 'bad-inputs', 'teachers-bad-stage', 'teachers.csv'), 'utf8');
    const res = await upload(await sampleForm('tiny', { 'teachers.csv': bad }));
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error).toMatch(/^数据有误，共\d+处错误，未保存任何内容$/);
    expect(body.errors[0]).toMatchObject({ file: 'teachers.csv', line: 11, column: 'stage' });
    expect(body.errors[0].text).toMatch(/^teachers\.csv:11: stage: /);
    expect(body.errors[0].messageEn).toBeTruthy();
    // No personal data in error messages: names are not echoed.
    expect(res.body).not.toContain('黄平磊');
    expect(await datasetCount()).toBe(before);
    const activity = (await get('/api/activity?entity=dataset', s.cookie.admin)).json().items;
    expect(activity.filter((a: { action: string }) => a.action === 'dataset.create')).toHaveLength(before);
  });

  it('accepts one XLSX workbook with a sheet per table', async () => {
    const wb = new ExcelJS.Workbook();
    for (const table of ['schools', 'teachers']) {
      const rows: string[][] = parse(await readFile(join(sampleDir('tiny'), `${table}.csv`)), { bom: true });
      wb.addWorksheet(table).addRows(rows);
    }
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await wb.xlsx.writeBuffer())]), 'county.xlsx');
    const res = await upload(form);
    expect(res.statusCode).toBe(201);
    expect(res.json().files.map((f: { name: string }) => f.name)).toEqual(['county.xlsx']);
    expect(res.json().teachers).toBeGreaterThan(10);
  });

  it('reports workbook errors as book.xlsx!sheet:line', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('schools').addRows([['id', 'name', 'stage', 'locale', 'students_primary'], ['S1', '一小', 'college', 'urban', '100']]);
    wb.addWorksheet('teachers').addRows([['id', 'name', 'school_id', 'stage', 'subject', 'gender', 'birth_year', 'years_at_school']]);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await wb.xlsx.writeBuffer())]), 'bad.xlsx');
    const res = await upload(form);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].text).toMatch(/^bad\.xlsx!schools:2: stage: /);
  });

  it('uses only the base name of an uploaded file, never a client path', async () => {
    const traversal = new FormData();
    for (const f of ['schools.csv', 'teachers.csv']) {
      const content = new Uint8Array(await readFile(join(sampleDir('tiny'), f)));
      traversal.append('files', new Blob([content]), f === 'teachers.csv' ? '../../etc/teachers.csv' : f);
    }
    const res = await upload(traversal);
    expect(res.statusCode).toBe(201);
    expect(res.json().files.map((f: { name: string }) => f.name)).toContain('teachers.csv');
  });

  it('400 without contract files, 415 when not multipart, 413 for a file over the limit', async () => {
    const empty = new FormData();
    empty.append('x', new Blob(['hello']), 'notes.txt');
    expect((await upload(empty)).statusCode).toBe(400);
    const json = await s.app.inject({ method: 'POST', url: '/api/datasets', headers: { cookie: s.cookie.planner }, payload: { files: [] } });
    expect(json.statusCode).toBe(415);
    const big = new FormData();
    big.append('file', new Blob([new Uint8Array(21 * 1024 * 1024)]), 'teachers.csv');
    const tooBig = await upload(big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error).toContain('上传文件过大');
  });

  it('413 for a JSON body over 1 MB', async () => {
    const res = await s.app.inject({
      method: 'POST', url: '/api/scenarios', headers: { cookie: s.cookie.planner },
      payload: { dataset_id: 1, name: 'x', notes: 'x'.repeat(1_100_000) },
    });
    expect(res.statusCode).toBe(413);
  });
});

describe('reading', () => {
  let id: number;
  beforeAll(async () => { ({ id } = await uploadSample(s, 'small-county')); });

  it('lists datasets and gets one with its own policy and locks', async () => {
    expect((await get('/api/datasets')).json().items.map((d: { id: number }) => d.id)).toContain(id);
    const d = (await get(`/api/datasets/${id}`)).json();
    expect(d.policy.year).toBe(2026);
    expect(d.policy.ratios.minRotatedShareOfEligible).toBe(0.1);
    expect(d.locks.length).toBeGreaterThan(0);
    expect(d.locks[0]).toMatchObject({ action: expect.stringMatching(/stay|move/), reason: expect.any(String) });
    expect((await get('/api/datasets/9999')).statusCode).toBe(404);
  });

  it('pages and searches schools', async () => {
    const p1 = (await get(`/api/datasets/${id}/schools?page_size=5`)).json();
    expect(p1).toMatchObject({ total: 14, page: 1, page_size: 5 });
    expect(p1.items).toHaveLength(5);
    const p3 = (await get(`/api/datasets/${id}/schools?page_size=5&page=3`)).json();
    expect(p3.items).toHaveLength(4);
    const name = p1.items[0].name as string;
    const found = (await get(`/api/datasets/${id}/schools?q=${encodeURIComponent(name)}`)).json();
    expect(found.items.map((x: { name: string }) => x.name)).toContain(name);
    expect((await get(`/api/datasets/${id}/schools?q=%25`)).json().total).toBe(0);
    expect((await get(`/api/datasets/${id}/schools?page_size=500`)).statusCode).toBe(400);
  });

  it('pages and searches teachers by id, name and school', async () => {
    const all = (await get(`/api/datasets/${id}/teachers?page_size=200`)).json();
    expect(all.total).toBe(299);
    const t = all.items[7];
    expect((await get(`/api/datasets/${id}/teachers?q=${encodeURIComponent(t.name)}`)).json().items.map((x: { id: string }) => x.id)).toContain(t.id);
    expect((await get(`/api/datasets/${id}/teachers?q=${t.id}`)).json().items[0].id).toBe(t.id);
    const bySchool = (await get(`/api/datasets/${id}/teachers?school_id=${t.school_id}&page_size=200`)).json();
    expect(bySchool.items.every((x: { school_id: string }) => x.school_id === t.school_id)).toBe(true);
  });

  it('masks names and hides home coordinates for auditors, who cannot search by name', async () => {
    const planner = (await get(`/api/datasets/${id}/teachers?page_size=3`)).json().items;
    const auditor = (await get(`/api/datasets/${id}/teachers?page_size=3`, s.cookie.auditor)).json().items;
    expect(auditor.map((t: { id: string }) => t.id)).toEqual(planner.map((t: { id: string }) => t.id));
    for (const [i, t] of auditor.entries()) {
      expect(t.name).toBe(`${[...planner[i].name][0]}**`);
      expect(t.home_lat).toBeUndefined();
    }
    expect(planner[0].home_lat).toBeTypeOf('number');
    const byName = (await get(`/api/datasets/${id}/teachers?q=${encodeURIComponent(planner[0].name)}`, s.cookie.auditor)).json();
    expect(byName.total).toBe(0);
  });
});

describe('delete', () => {
  it('deletes an unused dataset (204), refuses one a scenario uses (409)', async () => {
    const unused = await uploadSample(s, 'tiny');
    expect((await s.app.inject({ method: 'DELETE', url: `/api/datasets/${unused.id}`, headers: { cookie: s.cookie.planner } })).statusCode).toBe(204);
    expect((await get(`/api/datasets/${unused.id}`)).statusCode).toBe(404);
    expect((await get(`/api/datasets/${unused.id}/teachers`)).statusCode).toBe(404);

    const used = await uploadSample(s, 'tiny');
    await createScenario(s, used.id);
    const res = await s.app.inject({ method: 'DELETE', url: `/api/datasets/${used.id}`, headers: { cookie: s.cookie.planner } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toContain('方案使用');
    expect((await s.app.inject({ method: 'DELETE', url: '/api/datasets/9999', headers: { cookie: s.cookie.planner } })).statusCode).toBe(404);
  });
});
