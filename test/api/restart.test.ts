// Restarting keeps everything (datasets, scenarios, runs, sessions, the log); a run that was
// queued or running when the process died is marked failed on the next start, not lost.
import { afterAll, describe, expect, it } from 'vitest';
import { RESTART_MESSAGE } from '../../server/job-queue.ts';
import { type TestServer, createScenario, removeDir, startRun, startServer, tempDir, uploadSample, waitForRun } from './helpers.ts';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await removeDir(d); });

const get = (s: TestServer, url: string, cookie = s.cookie.planner) => s.app.inject({ method: 'GET', url, headers: { cookie } });

describe('restart', () => {
  it('keeps datasets, scenarios, runs with their results, sessions and the activity log', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const a = await startServer({}, dir);
    // The small county: the tiny fixture has no compliant plan under the never-worse switch (its
    // backbone CV is 0.028 and the backbone share must move one backbone teacher).
    const d = await uploadSample(a, 'small-county');
    const sc = await createScenario(a, d.id, { notes: '重启前' });
    const run = await waitForRun(a, (await startRun(a, sc.id)).id);
    expect(run.status).toBe('done');
    const before = {
      dataset: (await get(a, `/api/datasets/${d.id}`)).json(),
      scenario: (await get(a, `/api/scenarios/${sc.id}`)).json(),
      plan: (await get(a, `/api/runs/${run.id}/plan.csv`)).body,
      log: (await get(a, '/api/activity?limit=500', a.cookie.admin)).json().items.length,
    };
    const plannerCookie = a.cookie.planner;
    await a.close();

    const b = await startServer({}, dir);
    try {
      expect((await get(b, `/api/datasets/${d.id}`)).json()).toEqual(before.dataset);
      expect((await get(b, `/api/scenarios/${sc.id}`)).json()).toEqual(before.scenario);
      const again = (await get(b, `/api/runs/${run.id}`)).json();
      expect(again).toMatchObject({ status: 'done', summary: { audit_ok: true } });
      expect((await get(b, `/api/runs/${run.id}/plan.csv`)).body).toBe(before.plan);
      expect((await get(b, '/api/session', plannerCookie)).statusCode).toBe(200);
      // The log only grows (logins of the restarted test server add to it).
      expect((await get(b, '/api/activity?limit=500', b.cookie.admin)).json().items.length).toBeGreaterThanOrEqual(before.log);
    } finally {
      await b.close();
    }
  });

  it('marks runs that were running or queued at a crash as failed on the next start', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const a = await startServer({ poolSize: 1 }, dir);
    const d = await uploadSample(a, 'small-county');
    const sc = await createScenario(a, d.id);
    const running = await startRun(a, sc.id);
    const queued = await startRun(a, sc.id);
    await waitForRun(a, running.id, (r) => r.status === 'running');
    expect((await get(a, `/api/runs/${queued.id}`)).json().status).toBe('queued');

    // A second process opening the same database stands for the restart after a crash:
    // the first one never gets to shut down cleanly.
    const b = await startServer({}, dir);
    try {
      for (const id of [running.id, queued.id]) {
        const r = (await get(b, `/api/runs/${id}`)).json();
        expect(r).toMatchObject({ status: 'failed', message: RESTART_MESSAGE });
        expect(r.finished_at).toBeTruthy();
      }
      const log = (await get(b, '/api/activity?entity=run', b.cookie.auditor)).json().items;
      expect(log.filter((l: { action: string; details: { reason?: string } | null }) => l.action === 'run.fail' && l.details?.reason === 'restart')).toHaveLength(2);
      await a.close();
      // The old process's worker ending later never overwrites the recorded outcome.
      expect((await get(b, `/api/runs/${running.id}`)).json().status).toBe('failed');
      // New runs work after the restart.
      const fresh = await waitForRun(b, (await startRun(b, sc.id)).id);
      expect(fresh.status).toBe('done');
    } finally {
      await b.close();
    }
  });
});
