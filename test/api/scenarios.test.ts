// Scenarios: a dataset + policy + locks + name and notes. Policy validated like policy.json,
// locks like locks.csv (same file:line: column messages); copies are independent.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, createScenario, removeDir, sampleDir, startRun, startServer, uploadSample, waitForRun } from './helpers.ts';

let s: TestServer;
let datasetId: number;
beforeAll(async () => {
  s = await startServer();
  ({ id: datasetId } = await uploadSample(s, 'tiny'));
});
afterAll(async () => { await s.close(); await removeDir(s.dir); });

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const req = (method: Method, url: string, payload?: object, cookie = s.cookie.planner) =>
  s.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const scenarioCount = async () => (await req('GET', '/api/scenarios')).json().items.length as number;

describe('create', () => {
  it('starts from the dataset policy and locks', async () => {
    const res = await req('POST', '/api/scenarios', { dataset_id: datasetId, name: '基准', notes: '按数据集默认' });
    expect(res.statusCode).toBe(201);
    const sc = res.json();
    const d = (await req('GET', `/api/datasets/${datasetId}`)).json();
    expect(sc.policy).toEqual(d.policy);
    expect(sc.locks).toEqual(d.locks);
    expect(sc).toMatchObject({ name: '基准', notes: '按数据集默认', runs: 0, adopted_run_id: null, dataset_id: datasetId });
  });

  it('merges given policy parameters onto the dataset policy', async () => {
    const sc = await createScenario(s, datasetId, { policy: { ratios: { minRotatedShareOfEligible: 0.15 }, flows: { towardRuralOrWeakOnly: true } } });
    const got = (await req('GET', `/api/scenarios/${sc.id}`)).json();
    expect(got.policy.ratios).toEqual({ minRotatedShareOfEligible: 0.15, maxRotatedShareOfEligible: null, minBackboneShareOfRotated: 0.2 });
    expect(got.policy.flows.towardRuralOrWeakOnly).toBe(true);
    expect(got.policy.year).toBe(2026);
  });

  it('422 for a bad policy, with policy.json:line: key: messages; nothing stored', async () => {
    const before = await scenarioCount();
    const res = await req('POST', '/api/scenarios', { dataset_id: datasetId, name: 'x', policy: { ratios: { minRotatedShareOfEligible: 2 }, year: 'next' } });
    expect(res.statusCode).toBe(422);
    const texts: string[] = res.json().errors.map((e: { text: string }) => e.text);
    expect(texts.some((t) => /^policy\.json:\d+: ratios\.minRotatedShareOfEligible: /.test(t))).toBe(true);
    expect(texts.some((t) => /^policy\.json:\d+: year: /.test(t))).toBe(true);
    expect(res.json().error).toMatch(/^政策参数有误/);
    expect(await scenarioCount()).toBe(before);
  });

  it('validates locks like locks.csv: unknown teacher, missing reason, illegal move', async () => {
    const before = await scenarioCount();
    const res = await req('POST', '/api/scenarios', {
      dataset_id: datasetId, name: 'x',
      locks: [
        { teacher_id: '0017', action: 'stay', reason: '教研任务' },
        { teacher_id: 'NOPE', action: 'stay', reason: '无' },
        { teacher_id: '0013', action: 'move', to_school_id: '0105' },
        { teacher_id: '0001', action: 'move', to_school_id: '0101', reason: '回本校' },
      ],
    });
    expect(res.statusCode).toBe(422);
    const texts: string[] = res.json().errors.map((e: { text: string }) => e.text);
    expect(texts[0]).toMatch(/^locks\.csv:3: teacher_id: /);
    expect(texts.some((t) => t.startsWith('locks.csv:4: reason: '))).toBe(true);
    expect(texts.some((t) => t.startsWith('locks.csv:5: to_school_id: '))).toBe(true);
    expect(await scenarioCount()).toBe(before);
  });

  it('stores valid locks; 404 for an unknown dataset; 400 for a missing name', async () => {
    const sc = await createScenario(s, datasetId, { locks: [{ teacher_id: '0017', action: 'stay', reason: '教研任务' }] });
    expect((await req('GET', `/api/scenarios/${sc.id}`)).json().locks).toEqual([{ teacher_id: '0017', action: 'stay', reason: '教研任务' }]);
    expect((await req('POST', '/api/scenarios', { dataset_id: 9999, name: 'x' })).statusCode).toBe(404);
    expect((await req('POST', '/api/scenarios', { dataset_id: datasetId, name: '  ' })).statusCode).toBe(400);
  });

  it('given locks replace a workbook\'s locks sheet when validating', async () => {
    const wb = new ExcelJS.Workbook();
    for (const table of ['schools', 'teachers', 'locks']) {
      wb.addWorksheet(table).addRows(parse(await readFile(join(sampleDir('tiny'), `${table}.csv`)), { bom: true }));
    }
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await wb.xlsx.writeBuffer())]), 'tiny.xlsx');
    const up = await s.app.inject({ method: 'POST', url: '/api/datasets', headers: { cookie: s.cookie.planner }, payload: form });
    expect(up.statusCode).toBe(201);
    const bookId = up.json().id;
    expect((await req('GET', `/api/datasets/${bookId}`)).json().locks).toHaveLength(2);
    const none = await createScenario(s, bookId, { locks: [] });
    expect((await req('GET', `/api/scenarios/${none.id}`)).json().locks).toEqual([]);
    const bad = await req('POST', '/api/scenarios', { dataset_id: bookId, name: 'x', locks: [{ teacher_id: 'NOPE', action: 'stay', reason: '无' }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].text).toMatch(/^locks\.csv:2: teacher_id: /);
  });
});

describe('edit, copy, delete', () => {
  it('editing a scenario never changes its copy, nor the copy the original', async () => {
    const a = await createScenario(s, datasetId, { notes: '原方案' });
    const copy = await req('POST', `/api/scenarios/${a.id}/copy`);
    expect(copy.statusCode).toBe(201);
    const b = copy.json();
    expect(b.name).toBe('测试方案（副本）');
    expect(b.notes).toBe('复制自「测试方案」：原方案');

    const patched = await req('PATCH', `/api/scenarios/${a.id}`, {
      name: '改后', policy: { limits: { maxOutflowShareOfSchool: 0.1 } }, locks: [{ teacher_id: '0017', action: 'stay', reason: '改' }],
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: '改后', notes: '原方案' });
    expect(patched.json().policy.limits.maxOutflowShareOfSchool).toBe(0.1);
    expect(patched.json().updated_at >= patched.json().created_at).toBe(true);

    const bNow = (await req('GET', `/api/scenarios/${b.id}`)).json();
    expect(bNow.name).toBe('测试方案（副本）');
    expect(bNow.policy.limits.maxOutflowShareOfSchool).toBe(0.2);
    expect(bNow.locks).toHaveLength(2);

    await req('PATCH', `/api/scenarios/${b.id}`, { notes: '副本备注', policy: { year: 2027 } });
    const aNow = (await req('GET', `/api/scenarios/${a.id}`)).json();
    expect(aNow.notes).toBe('原方案');
    expect(aNow.policy.year).toBe(2026);
  });

  it('a copy\'s note is marked as copied, and cleared (kept as reference) once the copy\'s policy or locks change', async () => {
    const a = await createScenario(s, datasetId, { name: '多交流', notes: '按15%交流，补乡村体育教师' });
    const b = (await req('POST', `/api/scenarios/${a.id}/copy`)).json();
    expect(b).toMatchObject({ notes: '复制自「多交流」：按15%交流，补乡村体育教师', notes_inherited: true, notes_reference: '' });
    // A copy of an unchanged copy keeps the note as it is (no nesting).
    expect((await req('POST', `/api/scenarios/${b.id}/copy`)).json().notes).toBe(b.notes);
    // Saving the same policy and locks (the scenario page sends the whole form) keeps the note.
    const same = await req('PATCH', `/api/scenarios/${b.id}`, { name: '副本', policy: b.policy, locks: b.locks });
    expect(same.json()).toMatchObject({ notes: b.notes, notes_inherited: true });
    const changed = (await req('PATCH', `/api/scenarios/${b.id}`, { policy: { ratios: { maxRotatedShareOfEligible: 0.2 } } })).json();
    expect(changed).toMatchObject({ notes: '', notes_inherited: false, notes_reference: b.notes });
    expect((await req('GET', `/api/scenarios/${a.id}`)).json().notes).toBe('按15%交流，补乡村体育教师');

    // A note written on the copy is its own: later changes keep it.
    const c = (await req('POST', `/api/scenarios/${a.id}/copy`)).json();
    await req('PATCH', `/api/scenarios/${c.id}`, { notes: '副本自己的说明' });
    const kept = (await req('PATCH', `/api/scenarios/${c.id}`, { locks: [] })).json();
    expect(kept).toMatchObject({ notes: '副本自己的说明', notes_inherited: false, notes_reference: '' });
    // A copy of a scenario without notes has none.
    expect((await req('POST', `/api/scenarios/${(await createScenario(s, datasetId)).id}/copy`)).json()).toMatchObject({ notes: '', notes_inherited: false });
  });

  it('notes are edited by planners and leaders (PUT …/notes), as text', async () => {
    const a = await createScenario(s, datasetId);
    const put = await s.app.inject({ method: 'PUT', url: `/api/scenarios/${a.id}/notes`, headers: { cookie: s.cookie.leader }, payload: { notes: '<script>x</script> 领导意见' } });
    expect(put.statusCode).toBe(200);
    expect(put.json().notes).toBe('<script>x</script> 领导意见');
    expect((await s.app.inject({ method: 'PUT', url: `/api/scenarios/${a.id}/notes`, headers: { cookie: s.cookie.auditor }, payload: { notes: 'x' } })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'PUT', url: `/api/scenarios/${a.id}/notes`, headers: { cookie: s.cookie.leader }, payload: { notes: 'x'.repeat(5001) } })).statusCode).toBe(400);
    const log = (await req('GET', `/api/activity?entity=scenario&entity_id=${a.id}`, undefined, s.cookie.admin)).json().items;
    expect(log.map((l: { action: string }) => l.action)).toContain('scenario.notes');
  });

  it('PATCH validates like create (422), and 404 for unknown ids', async () => {
    const a = await createScenario(s, datasetId);
    const bad = await req('PATCH', `/api/scenarios/${a.id}`, { policy: { limits: { maxCommuteKm: -3 } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].text).toMatch(/^policy\.json:\d+: limits\.maxCommuteKm: /);
    expect((await req('GET', `/api/scenarios/${a.id}`)).json().policy.limits.maxCommuteKm).toBeNull();
    expect((await req('PATCH', '/api/scenarios/9999', { name: 'x' })).statusCode).toBe(404);
    expect((await req('POST', '/api/scenarios/9999/copy')).statusCode).toBe(404);
    expect((await req('GET', '/api/scenarios/9999')).statusCode).toBe(404);
  });

  it('lists by dataset and deletes', async () => {
    const other = await uploadSample(s, 'tiny');
    const sc = await createScenario(s, other.id);
    const list = (await req('GET', `/api/scenarios?dataset_id=${other.id}`)).json().items;
    expect(list).toEqual([expect.objectContaining({ id: sc.id, locks: 2, runs: 0 })]);
    expect((await req('DELETE', `/api/scenarios/${sc.id}`)).statusCode).toBe(204);
    expect((await req('DELETE', `/api/scenarios/${sc.id}`)).statusCode).toBe(404);
    expect((await req('GET', `/api/scenarios?dataset_id=${other.id}`)).json().items).toEqual([]);
    const log = (await req('GET', '/api/activity?entity=scenario', undefined, s.cookie.admin)).json().items.map((i: { action: string }) => i.action);
    for (const a of ['scenario.create', 'scenario.update', 'scenario.copy', 'scenario.delete']) expect(log).toContain(a);
  });
});

describe('an adopted scenario is frozen', () => {
  it('refuses new runs, edits and notes (409, in Chinese, naming the copy), while its copy solves', async () => {
    // Its own dataset: one adopted run per dataset, and the tests above keep editing theirs.
    const own = await uploadSample(s, 'tiny');
    // The tiny county has no plan under the never-worse switch; without it, it has one.
    const sc = await createScenario(s, own.id, { name: '待采纳', policy: { indicators: { neverWorse: false } } });
    const run = await startRun(s, sc.id);
    expect((await waitForRun(s, run.id)).status).toBe('done');
    expect((await req('POST', `/api/runs/${run.id}/adopt`, {}, s.cookie.leader)).statusCode).toBe(200);

    const again = await req('POST', '/api/runs', { scenario_id: sc.id });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe(`方案的运行 #${run.id} 已被采纳，方案已冻结，不能再求解；如需调整请“复制为新方案”`);
    const patch = await req('PATCH', `/api/scenarios/${sc.id}`, { name: '改名' });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().error).toContain('方案已冻结，不可再修改');
    expect((await req('PUT', `/api/scenarios/${sc.id}/notes`, { notes: '改' }, s.cookie.leader)).statusCode).toBe(409);
    // Nothing changed, and no run was queued.
    expect((await req('GET', `/api/scenarios/${sc.id}`)).json()).toMatchObject({ name: '待采纳', runs: 1, adopted_run_id: run.id });
    expect((await req('GET', `/api/runs?scenario_id=${sc.id}`)).json().items).toHaveLength(1);

    const copy = (await req('POST', `/api/scenarios/${sc.id}/copy`)).json();
    expect(copy).toMatchObject({ name: '待采纳（副本）', adopted_run_id: null });
    expect((await req('PATCH', `/api/scenarios/${copy.id}`, { name: '新方案' })).statusCode).toBe(200);
    const copied = await req('POST', '/api/runs', { scenario_id: copy.id });
    expect(copied.statusCode).toBe(202);
    await waitForRun(s, copied.json().id);
  });
});

describe('a rename shows everywhere the name is listed', () => {
  it('the scenario list and the runs list carry the new name', async () => {
    const sc = await createScenario(s, datasetId, { name: '旧名' });
    const run = await startRun(s, sc.id);
    await waitForRun(s, run.id);
    expect((await req('PATCH', `/api/scenarios/${sc.id}`, { name: '新名' })).statusCode).toBe(200);
    const listed = (await req('GET', `/api/scenarios?dataset_id=${datasetId}`)).json().items.find((x: { id: number }) => x.id === sc.id);
    expect(listed.name).toBe('新名');
    expect((await req('GET', `/api/runs?scenario_id=${sc.id}`)).json().items[0].scenario_name).toBe('新名');
  });
});
