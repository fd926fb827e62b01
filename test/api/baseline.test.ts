// Re-plans: a scenario's `use_baseline` flag (on by default) makes a new run re-plan against the
// scenario's last finished run, recorded as `baseline_run_id`; copies start without a baseline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAST_POLICY, type TestServer, createScenario, removeDir, startRun, startServer, uploadSample, waitForRun,
} from './helpers.ts';

let s: TestServer;
let datasetId: number;
beforeAll(async () => {
  s = await startServer({ poolSize: 1 });
  ({ id: datasetId } = await uploadSample(s, 'small-county', FAST_POLICY));
});
afterAll(async () => { await s.close(); await removeDir(s.dir); });

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const req = (method: Method, url: string, payload?: object, cookie = s.cookie.planner) =>
  s.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const baselineOf = async (runId: number) => (await req('GET', `/api/runs/${runId}`)).json().baseline_run_id as number | null;

describe('the use_baseline flag', () => {
  it('is on for a new scenario, can be turned off by PATCH and on create, and shows in the list', async () => {
    const sc = await createScenario(s, datasetId);
    expect((await req('GET', `/api/scenarios/${sc.id}`)).json().use_baseline).toBe(true);
    const off = await req('PATCH', `/api/scenarios/${sc.id}`, { use_baseline: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().use_baseline).toBe(false);
    // Other edits leave it as it is.
    expect((await req('PATCH', `/api/scenarios/${sc.id}`, { notes: '只改备注' })).json().use_baseline).toBe(false);
    const listed = (await req('GET', `/api/scenarios?dataset_id=${datasetId}`)).json().items.find((x: { id: number }) => x.id === sc.id);
    expect(listed.use_baseline).toBe(false);
    expect((await createScenario(s, datasetId, { use_baseline: false })).id).toBeGreaterThan(sc.id);
    expect((await req('PATCH', `/api/scenarios/${sc.id}`, { use_baseline: 'yes' })).statusCode).toBe(400);
    expect((await req('PATCH', `/api/scenarios/${sc.id}`, { use_baseline: true }, s.cookie.leader)).statusCode).toBe(403);
  });
});

describe('runs of a scenario with the flag on', () => {
  let scenarioId: number;
  let first: number;
  let second: number;

  beforeAll(async () => {
    scenarioId = (await createScenario(s, datasetId)).id;
    first = (await startRun(s, scenarioId)).id;
  });

  it('the first run has no baseline; the next one re-plans against the last done run', async () => {
    expect(await baselineOf(first)).toBeNull();
    expect((await waitForRun(s, first)).status).toBe('done');
    second = (await startRun(s, scenarioId)).id;
    expect(await baselineOf(second)).toBe(first);
    const detail = (await req('GET', `/api/runs/${second}`)).json();
    expect(detail.inputs.baseline_run_id).toBe(first);
    const listed = (await req('GET', `/api/runs?scenario_id=${scenarioId}`)).json().items;
    expect(listed.map((r: { id: number; baseline_run_id: number | null }) => [r.id, r.baseline_run_id])).toEqual([[second, first], [first, null]]);
  });

  it('a baseline cannot be deleted while its re-plan is queued or running', async () => {
    const blocked = await req('DELETE', `/api/runs/${first}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error).toContain(`运行 #${second} 正以本运行为基准求解`);
    const done = await waitForRun(s, second);
    expect(done.status).toBe('done');
    expect(done.summary?.audit_ok).toBe(true);
  });

  it('with the flag off, or in a copy, a run has no baseline', async () => {
    await req('PATCH', `/api/scenarios/${scenarioId}`, { use_baseline: false });
    const off = await startRun(s, scenarioId);
    expect(await baselineOf(off.id)).toBeNull();
    await req('POST', `/api/runs/${off.id}/cancel`);

    await req('PATCH', `/api/scenarios/${scenarioId}`, { use_baseline: true });
    const copy = (await req('POST', `/api/scenarios/${scenarioId}/copy`)).json();
    expect(copy.use_baseline).toBe(true);
    const inCopy = await startRun(s, copy.id);
    expect(await baselineOf(inCopy.id)).toBeNull();
    await req('POST', `/api/runs/${inCopy.id}/cancel`);
  });

  it('the last done run is the baseline (a cancelled run is skipped); a deleted baseline stays recorded', async () => {
    const third = (await startRun(s, scenarioId)).id;
    expect(await baselineOf(third)).toBe(second);
    await req('POST', `/api/runs/${third}/cancel`);
    expect((await req('DELETE', `/api/runs/${first}`)).statusCode).toBe(204);
    expect(await baselineOf(second)).toBe(first);
    const log = (await req('GET', '/api/activity?entity=run', undefined, s.cookie.admin)).json().items;
    const created = log.find((l: { action: string; entity_id: number }) => l.action === 'run.create' && l.entity_id === second);
    expect(created.details).toMatchObject({ scenario_id: scenarioId, baseline_run_id: first });
  });
});
