// `npm run load`: read latency while two solves run. Starts a real server (`lungang serve`, its
// own temp database, the sample county seeded on first start) on 127.0.0.1, starts solves of
// the sample county, waits until two are solving, then hammers GET endpoints with autocannon
// for 10 s and prints p50/p99. A sample-county solve takes only a few seconds, so during the
// load the script keeps the pool busy: whenever a solve ends it queues another (the user's
// limit of 3 active runs keeps one waiting), and it reports how much of the window really had
// two solves running. Stops the server and removes the temp files itself; bounded (gives up
// after 5 minutes).
//
// LOAD_SCENARIO=hostile (issue 9): 50 connections for 20 s, four solves kept active (the admin
// and a planner created through the API, two each: two solving, two queued), while hostile
// uploads are refused in a loop and a generated 40,000-teacher county is uploaded and deleted in
// another (uploads.ts). Target p99 < 250 ms, no failed request.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROOT, apiClient, freePort, startServer, stop } from './server-process.ts';
import { hostileCases, largeCounty, uploadLoops } from './uploads.ts';

const HOSTILE = process.env.LOAD_SCENARIO === 'hostile';
const DURATION_SECONDS = Number(process.env.LOAD_SECONDS ?? (HOSTILE ? 20 : 10));
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? (HOSTILE ? 50 : 10));
const TARGET_P99_MS = HOSTILE ? 250 : 100;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lungang-load-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const password = randomBytes(12).toString('hex');
  let server: ChildProcess | undefined;
  const giveUp = setTimeout(() => { process.stderr.write('load test took over 5 minutes; stopping\n'); server?.kill('SIGKILL'); process.exit(1); }, 300_000);
  try {
    const t0 = Date.now();
    server = await startServer(port, password, { DATABASE_PATH: join(dir, 'lungang.db') });
    process.stdout.write(`server up on ${base} with the sample county seeded (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);

    const client = apiClient(base);
    const cookie = await client.login('admin', password);
    const send = (path: string, init: RequestInit = {}, as = cookie) => client.send(path, init, as);
    const api = (path: string, init: RequestInit = {}, as = cookie) => client.api(path, init, as);
    const dataset = (await api('/api/datasets')).items[0];
    const scenario = (await api('/api/scenarios')).items[0];
    // Who starts solves: the hostile scenario needs four active, past one user's limit of three.
    const solvers = [cookie];
    if (HOSTILE) {
      const planner = await client.addUser(cookie, 'load-planner', 'planner');
      solvers.push(planner);
    }
    /** Starts a solve as the first user below their limit. */
    const startRun = async () => {
      for (const as of solvers) {
        const res = await send('/api/runs', { method: 'POST', body: JSON.stringify({ scenario_id: scenario.id }) }, as);
        if (res.status === 202) return (await res.json()).id as number;
        if (res.status !== 429) throw new Error(`POST /api/runs: ${res.status} ${await res.text()}`);
      }
      throw new Error('every user is at the limit of active solves');
    };
    const runs = [await startRun(), await startRun()];
    const status = async (ids: number[]) => Promise.all(ids.map(async (id) => api(`/api/runs/${id}`)));
    for (;;) {
      const s = await status(runs);
      if (s.every((r) => r.status === 'running' && r.progress?.phase === 'solving')) break;
      if (s.some((r) => !['queued', 'running'].includes(r.status))) throw new Error(`a solve ended before the load started: ${s.map((r) => r.status)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write(`two solves of the sample county (${dataset.teachers} teachers) solving: runs ${runs.join(', ')}; ${availableParallelism()} cores\n`);

    // Keeps two solves running for the whole window (see the header), and the rest queued.
    const activeTarget = HOSTILE ? 4 : 3;
    const pool = { samples: 0, twoRunning: 0, started: [...runs], stop: false };
    const keeper = (async () => {
      while (!pool.stop) {
        const active: { id: number; status: string }[] = [
          ...(await api('/api/runs?status=running')).items, ...(await api('/api/runs?status=queued')).items,
        ];
        pool.samples += 1;
        if (active.filter((r) => r.status === 'running').length >= 2) pool.twoRunning += 1;
        if (active.length < activeTarget) pool.started.push(await startRun());
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    const paths = [
      `/api/runs/${runs[0]}`, `/api/runs/${runs[1]}`, '/api/runs', '/api/datasets', `/api/datasets/${dataset.id}`, '/api/scenarios',
      `/api/scenarios/${scenario.id}`, `/api/datasets/${dataset.id}/schools?page=2`,
      ...[1, 7, 42].map((p) => `/api/datasets/${dataset.id}/teachers?page=${p}&page_size=50`),
      `/api/datasets/${dataset.id}/teachers?q=T01`,
    ];
    let uploads: ReturnType<typeof uploadLoops> | undefined;
    if (HOSTILE) {
      const county = await largeCounty(join(dir, 'county'), 40_000);
      uploads = uploadLoops(base, cookie, await hostileCases(join(ROOT, 'data', 'sample-county')), county, () => pool.stop);
    }
    const result = await autocannon({
      url: base, connections: CONNECTIONS, duration: DURATION_SECONDS, headers: { cookie },
      requests: paths.map((path) => ({ method: 'GET' as const, path })),
    });
    pool.stop = true;
    await keeper;
    await uploads?.done;
    const l = result.latency;
    const solves = await status(pool.started);
    const finished = solves.filter((r) => r.status === 'done');
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
    process.stdout.write([
      '',
      `GET load: ${CONNECTIONS} connections for ${DURATION_SECONDS} s over ${paths.length} read endpoints`,
      `  solves meanwhile: two running in ${((100 * pool.twoRunning) / Math.max(1, pool.samples)).toFixed(0)}% of ${pool.samples} samples; ` +
        `${finished.length} solves finished (mean ${mean(finished.map((r) => r.elapsed_seconds ?? 0)).toFixed(1)} s each, ${finished[0]?.summary?.rotated ?? '-'} moves, ` +
        `audit ${finished.every((r) => r.summary?.audit_ok) ? 'ok' : 'FAILED'})`,
      `  requests ${result.requests.total} (${result.requests.average.toFixed(0)}/s), non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`,
      `  latency p50 ${l.p50} ms   p90 ${l.p90} ms   p99 ${l.p99} ms   max ${l.max} ms   mean ${l.average.toFixed(1)} ms`,
      ...(uploads ? [`  uploads meanwhile: ${uploads.tally.refused} hostile refused (422), ${uploads.tally.created} large valid uploads (≈40,000 teachers) created and ${uploads.tally.deleted} deleted` +
        `${uploads.tally.unexpected.length ? `; UNEXPECTED: ${uploads.tally.unexpected.join('; ')}` : ''}`] : []),
      `  target p99 < ${TARGET_P99_MS} ms: ${l.p99 < TARGET_P99_MS ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'));
    // Solves still queued or running are stopped with the server.
    if (result.non2xx > 0 || result.errors > 0 || (uploads?.tally.unexpected.length ?? 0) > 0) process.exitCode = 1;
  } finally {
    clearTimeout(giveUp);
    await stop(server);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
