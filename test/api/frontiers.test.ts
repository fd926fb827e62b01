// Frontiers over the API: a job per scenario run by the solve pool to done (points appear with
// the frontier.csv fields), saved points become scenarios with that share, cancelling keeps the
// points reached, and shares below the policy minimum are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_POLICY, type TestServer, createScenario, removeDir, startServer, uploadSample, waitForJob } from './helpers.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer({ poolSize: 2 }); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

type Method = 'GET' | 'POST' | 'DELETE';
const req = (method: Method, url: string, cookie = s.cookie.planner, payload?: object) =>
  s.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

interface Row { county: string; share: number; rotated: number | null; max_rotated: number; eligible: number; objective: number | null; status: string; audit_ok: boolean | null; cv_primary_backbone: number | null }
interface Best {
  county: string; stage: string; indicator: string; cv_before: number; cv_plan: number | null; best_achievable: number | null; best_achievable_bound: number | null;
  best_achievable_proven: boolean; share_of_achievable: number | null;
}
interface Frontier { id: number; status: string; message: string | null; shares: number[]; progress: { point: number; points: number } | null; points: { index: number; share: number; counties: Row[]; best?: Best[] }[] }

// Five plans and thirty bounds on one solve lane: many minutes on a loaded 2-core machine, and each
// bound must be proven, so its solves get a limit a loaded machine cannot reach on the small county.
const waitFor = (id: number, until?: (f: Frontier) => boolean) => waitForJob<Frontier>(s, `/api/frontiers/${id}`, until, 1_500_000);
const PROVING_POLICY = { ...FAST_POLICY, solver: { timeLimitSeconds: 300 } };

describe('a frontier of the small county', () => {
  let scenarioId: number;
  let frontier: Frontier;

  beforeAll(async () => {
    const d = await uploadSample(s, 'small-county', PROVING_POLICY);
    scenarioId = (await createScenario(s, d.id)).id;
    const started = await req('POST', `/api/scenarios/${scenarioId}/frontier`);
    expect(started.statusCode, started.body).toBe(202);
    expect(started.headers.location).toBe(`/api/frontiers/${started.json().id}`);
    expect(started.json()).toMatchObject({ status: expect.stringMatching(/queued|running/), shares: [0.1, 0.12, 0.15, 0.2, 0.25], min_share: 0.1, thresholds: { primary: 0.5, junior: 0.45 } });
    frontier = await waitFor(started.json().id);
  }, 1_600_000);

  it('runs to done with one point per share: rotated ≤ ⌈share × eligible⌉, objective never worse, every plan audited', () => {
    expect(frontier.status, frontier.message ?? '').toBe('done');
    expect(frontier.points.map((p) => [p.index, p.share])).toEqual(frontier.shares.map((x, i) => [i, x]));
    expect(frontier.progress).toMatchObject({ point: 4, points: 5 });
    let previous = Infinity;
    for (const p of frontier.points) {
      const [row] = p.counties;
      expect(row!.status).toMatch(/optimal|feasible/);
      expect(row!.max_rotated).toBe(Math.ceil(p.share * row!.eligible - 1e-9));
      expect(row!.rotated!).toBeLessThanOrEqual(row!.max_rotated);
      expect(row!.audit_ok).toBe(true);
      expect(row!.objective!).toBeLessThanOrEqual(previous + 1e-6);
      previous = row!.objective!;
    }
  });

  it('then gives every point the best achievable CV per stage × indicator: proven, never above the plan, never higher at a larger cap', () => {
    expect(frontier.progress).toMatchObject({ phase: 'bounds' });
    const last = new Map<string, number>();
    for (const p of frontier.points) {
      const [row] = p.counties;
      expect(p.best, `point ${p.share}`).toHaveLength(6);
      for (const b of p.best!) {
        const key = `${b.stage}_${b.indicator}`;
        expect(b.county).toBe(row!.county);
        expect(b.cv_plan!).toBeCloseTo(row![`cv_${key}` as keyof typeof row] as number, 6);
        expect(b.best_achievable_proven, key).toBe(true);
        expect(b.best_achievable!).toBeLessThanOrEqual(b.cv_plan! + 1e-9);
        expect(b.best_achievable!).toBeGreaterThanOrEqual(b.best_achievable_bound! - 1e-12);
        if (b.share_of_achievable !== null) {
          expect(b.share_of_achievable).toBeCloseTo((b.cv_before - b.cv_plan!) / (b.cv_before - b.best_achievable!), 9);
          expect(b.share_of_achievable).toBeLessThanOrEqual(1 + 1e-9);
        }
        // A larger cap allows every plan a smaller one does: the best can only fall (to the proof's 0.0005).
        expect(b.best_achievable!).toBeLessThanOrEqual((last.get(key) ?? Infinity) + 5e-4);
        last.set(key, b.best_achievable!);
      }
    }
  });

  it('is listed for its scenario and readable by every role', async () => {
    const list = (await req('GET', `/api/frontiers?scenario_id=${scenarioId}`, s.cookie.leader)).json();
    expect(list.items.map((f: Frontier) => f.id)).toEqual([frontier.id]);
    expect((await req('GET', `/api/frontiers/${frontier.id}`, s.cookie.auditor)).json().points).toEqual(frontier.points);
  });

  it('saves a point as a scenario with that upper share (named by it), whose budget is the point\'s', async () => {
    const point = frontier.points[2]!;
    const res = await req('POST', `/api/frontiers/${frontier.id}/points/2/scenario`);
    expect(res.statusCode, res.body).toBe(201);
    const sc = res.json();
    expect(sc.name).toBe('交流上限15%');
    expect(sc.notes).toContain(`权衡曲线 #${frontier.id}`);
    expect(sc.policy.ratios).toMatchObject({ maxRotatedShareOfEligible: 0.15, minRotatedShareOfEligible: 0.1 });
    expect(sc.policy.solver.timeLimitSeconds).toBe(PROVING_POLICY.solver.timeLimitSeconds);
    const budget = (await req('GET', `/api/scenarios/${sc.id}/budget`)).json();
    expect(budget.counties[0].max_rotated).toBe(point.counties[0]!.max_rotated);
    const named = await req('POST', `/api/frontiers/${frontier.id}/points/4/scenario`, s.cookie.admin, { name: '多交流' });
    expect(named.json()).toMatchObject({ name: '多交流', policy: { ratios: { maxRotatedShareOfEligible: 0.25 } } });
    expect((await req('POST', `/api/frontiers/${frontier.id}/points/9/scenario`)).statusCode).toBe(404);
    expect((await req('POST', `/api/frontiers/9999/points/0/scenario`)).statusCode).toBe(404);
    const log = (await req('GET', '/api/activity?entity=scenario', s.cookie.admin)).json().items;
    expect(log[1]).toMatchObject({ action: 'scenario.from_frontier', entity_id: sc.id, details: { frontier_id: frontier.id, point: 2 } });
  });
});

describe('starting, cancelling and refusing frontiers', () => {
  it('cancels a running frontier (its worker ends, points so far kept) and a queued one; 409 once ended', async () => {
    const d = await uploadSample(s, 'small-county', FAST_POLICY);
    const sc = await createScenario(s, d.id);
    const a = (await req('POST', `/api/scenarios/${sc.id}/frontier`, s.cookie.planner, { shares: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], bounds: false })).json();
    await waitFor(a.id, (f) => f.status === 'running');
    // A scenario with an active frontier cannot be deleted.
    expect((await req('DELETE', `/api/scenarios/${sc.id}`)).statusCode).toBe(409);
    const cancelled = (await req('POST', `/api/frontiers/${a.id}/cancel`)).json();
    expect(cancelled).toMatchObject({ status: 'cancelled', message: '已取消' });
    expect(cancelled.points.length).toBeLessThan(6);
    expect((await req('POST', `/api/frontiers/${a.id}/cancel`)).statusCode).toBe(409);
    // Any job of the tests before (same server) may still hold a slot on a busy machine: wait for the pool to drain.
    await expect.poll(() => s.app.lungang.pool.running, { timeout: 120_000 }).toBe(0);

    // With both slots taken by runs, a new frontier waits in the queue and can be cancelled there.
    const runs = [await req('POST', '/api/runs', s.cookie.admin, { scenario_id: sc.id }), await req('POST', '/api/runs', s.cookie.admin, { scenario_id: sc.id })];
    const queued = (await req('POST', `/api/scenarios/${sc.id}/frontier`)).json();
    expect(queued.status).toBe('queued');
    expect((await req('POST', `/api/frontiers/${queued.id}/cancel`)).json().status).toBe('cancelled');
    for (const r of runs) await req('POST', `/api/runs/${r.json().id}/cancel`, s.cookie.admin);
    expect((await req('DELETE', `/api/scenarios/${sc.id}`)).statusCode).toBe(204);
    expect((await req('GET', `/api/frontiers/${a.id}`)).statusCode).toBe(404);
  });

  it('refuses shares below the policy minimum or out of range (422), unknown scenarios (404) and leaders (403)', async () => {
    const d = await uploadSample(s, 'tiny');
    const sc = await createScenario(s, d.id);
    const low = await req('POST', `/api/scenarios/${sc.id}/frontier`, s.cookie.planner, { shares: [0.05, 0.2] });
    expect(low.statusCode).toBe(422);
    expect(low.json().error).toBe('交流比例 0.05 低于政策的最低交流比例 0.1');
    expect((await req('POST', `/api/scenarios/${sc.id}/frontier`, s.cookie.planner, { shares: [0.2, 2] })).statusCode).toBe(422);
    expect((await req('POST', '/api/scenarios/9999/frontier')).statusCode).toBe(404);
    expect((await req('POST', `/api/scenarios/${sc.id}/frontier`, s.cookie.leader)).statusCode).toBe(403);
    expect((await req('GET', '/api/frontiers?scenario_id=' + sc.id)).json().items).toEqual([]);
  });
});
