// GET /api/scenarios/{id}/budget: how many teachers each county rotates under the scenario's
// policy and locks — the solver's own rotationBudget, computed in the task worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCountyContext, countiesOf } from '../../solver/policy/county.ts';
import { rotationBudget } from '../../solver/policy/rules.ts';
import type { Lock, Policy } from '../../solver/contract/schemas.ts';
import { loadSample } from '../helpers/datasets.ts';
import { type TestServer, createScenario, removeDir, startServer, uploadSample } from './helpers.ts';

let s: TestServer;
let scenarioId: number;
beforeAll(async () => {
  s = await startServer();
  const d = await uploadSample(s, 'sample-county');
  scenarioId = (await createScenario(s, d.id)).id;
});
afterAll(async () => { await s.close(); await removeDir(s.dir); });

type Method = 'GET' | 'PATCH';
const req = (method: Method, url: string, payload?: object, cookie = s.cookie.planner) =>
  s.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

/** The solver's budget for the sample county under `policy` and `locks`. */
async function expected(policy: Policy, locks: Lock[]) {
  const ds = { ...(await loadSample('sample-county')), policy, locks };
  return countiesOf(ds).map((county) => {
    const b = rotationBudget(buildCountyContext(county, ds));
    return { county, eligible: b.eligible, min_rotated: b.min, max_rotated: b.max, locked_moves: b.lockedMoves };
  });
}

describe('rotation budget of a scenario', () => {
  it('default policy: the minimum ⌈10% × eligible⌉ and nothing more, for every role', async () => {
    const sc = (await req('GET', `/api/scenarios/${scenarioId}`)).json();
    for (const cookie of Object.values(s.cookie)) {
      const res = await req('GET', `/api/scenarios/${scenarioId}/budget`, undefined, cookie);
      expect(res.statusCode).toBe(200);
      const b = res.json();
      expect(b).toMatchObject({ scenario_id: scenarioId, min_share: 0.1, max_share: null });
      expect(b.counties).toEqual(await expected(sc.policy, sc.locks));
      const [county] = b.counties;
      expect(b.counties).toHaveLength(1);
      expect(county.eligible).toBeGreaterThan(1000);
      expect(county.min_rotated).toBe(Math.ceil(0.1 * county.eligible));
      expect(county.max_rotated).toBe(county.min_rotated);
      expect(county.locked_moves).toBe(2);
    }
  });

  it('follows the scenario\'s edits: an upper share, a stricter age limit', async () => {
    const patched = await req('PATCH', `/api/scenarios/${scenarioId}`, {
      policy: { ratios: { minRotatedShareOfEligible: 0.12, maxRotatedShareOfEligible: 0.15 }, eligibility: { maxAge: { F: 40 } } },
    });
    expect(patched.statusCode).toBe(200);
    const b = (await req('GET', `/api/scenarios/${scenarioId}/budget`)).json();
    expect(b).toMatchObject({ min_share: 0.12, max_share: 0.15 });
    expect(b.counties).toEqual(await expected(patched.json().policy, patched.json().locks));
    const [county] = b.counties;
    expect(county.min_rotated).toBe(Math.ceil(0.12 * county.eligible));
    expect(county.max_rotated).toBe(Math.ceil(0.15 * county.eligible));
  });

  it('404 for an unknown scenario', async () => {
    expect((await req('GET', '/api/scenarios/9999/budget')).statusCode).toBe(404);
  });
});
