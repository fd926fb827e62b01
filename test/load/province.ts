// `npm run province`: issue 13's province run — every county bureau of a province on one
// production-mode deployment (README "Production mode"). Starts a throwaway PostgreSQL
// (test/ensure-postgres.sh) with a fresh database, one `lungang serve` on it and N `lungang worker`
// processes; generates the counties (sizes spread evenly around the mean, deterministic), and
// each county's bureau (its own planner account) uploads its files, makes a scenario and starts
// a plan with the default policy. The workers start only once every run is queued, so the
// makespan is the queue's throughput, not the uploads'. Waits for every plan and every
// best-achievable job, then prints a table (also PROVINCE_OUT as JSON) and removes what it made.
//
//   PROVINCE_COUNTIES (150)   PROVINCE_TEACHERS (6000, the mean; 2,000 … 10,000)
//   PROVINCE_WORKERS (2)      PROVINCE_SLOTS (1 solve per worker)   PROVINCE_BOUNDS (1; 0 = plans only)
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateCounty, writeCountyCsv } from '../../data/generate.ts';
import { ROOT, apiClient, freePort, startLungang, startServer, stop } from './server-process.ts';

const COUNTIES = Number(process.env.PROVINCE_COUNTIES ?? 150);
const MEAN_TEACHERS = Number(process.env.PROVINCE_TEACHERS ?? 6000);
const WORKERS = Number(process.env.PROVINCE_WORKERS ?? 2);
const SLOTS = Number(process.env.PROVINCE_SLOTS ?? 1);
const BOUNDS = process.env.PROVINCE_BOUNDS !== '0';

/** County k's teachers: an even spread from a third of the mean to five thirds, shuffled by a stride. */
export const countySize = (k: number, n = COUNTIES, mean = MEAN_TEACHERS) =>
  Math.round(mean * (1 / 3 + (4 / 3) * (n > 1 ? ((k * 37) % n) / (n - 1) : 0.5)));

interface RunRow {
  id: number; status: string; message: string | null; elapsed_seconds: number | null; started_at: string | null; finished_at: string | null;
  summary: { audit_ok: boolean; rotated: number; plan_status: string } | null; bounds: { status: string; message: string | null } | null;
}

const seconds = (from: number) => (Date.now() - from) / 1000;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};
/** CPU seconds a process has used so far (all its threads; Linux /proc, clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat; [0] here is field 3.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** PostgreSQL backends serving `database` (their CPU is the database's share of the work). */
function backends(database: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(database);
    } catch {
      return false;
    }
  });
}

const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

/** The files of one county as the upload form of a bureau's planner. */
async function countyForm(dir: string, name: string): Promise<FormData> {
  const form = new FormData();
  form.append('name', name);
  for (const f of await readdir(dir)) form.append('files', new Blob([new Uint8Array(await readFile(join(dir, f)))]), f);
  return form;
}

type Cpu = { workers: number; server: number; db: number };
const perPlan = (from: Cpu, to: Cpu, plans: number): Cpu =>
  ({ workers: (to.workers - from.workers) / plans, server: (to.server - from.server) / plans, db: (to.db - from.db) / plans });

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lungang-province-'));
  const serverUrl = execFileSync('sh', [join(ROOT, 'test', 'ensure-postgres.sh')], { encoding: 'utf8' }).trim();
  const url = new URL(serverUrl);
  url.pathname = `/province_${process.pid}_${Date.now()}`;
  const env = { LUNGANG_DATABASE_URL: url.toString(), LUNGANG_BEST_ACHIEVABLE: BOUNDS ? '1' : '0' };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const password = randomBytes(12).toString('hex');
  const children: Awaited<ReturnType<typeof startServer>>[] = [];
  try {
    children.push(await startServer(port, password, env));
    const client = apiClient(base);
    const admin = await client.login('admin', password);

    const t0 = Date.now();
    const runs: { county: number; teachers: number; runId: number; cookie: string }[] = [];
    for (let k = 0; k < COUNTIES; k++) {
      const teachers = countySize(k);
      const countyDir = join(dir, `county-${k}`);
      const tables = generateCounty({ teachers, seed: 1000 + k });
      writeCountyCsv(countyDir, tables);
      const cookie = await client.addUser(admin, `bureau${k + 1}`, 'planner');
      const dataset = await client.api('/api/datasets', { method: 'POST', body: await countyForm(countyDir, `县${k + 1}`) }, cookie);
      const scenario = await client.api('/api/scenarios', { method: 'POST', body: JSON.stringify({ dataset_id: dataset.id, name: '默认方案' }) }, cookie);
      const run = await client.api('/api/runs', { method: 'POST', body: JSON.stringify({ scenario_id: scenario.id }) }, cookie);
      runs.push({ county: k, teachers: tables.teachers.length, runId: run.id, cookie });
      await rm(countyDir, { recursive: true });
      if ((k + 1) % 10 === 0) log(`${k + 1}/${COUNTIES} counties generated, uploaded and queued (${seconds(t0).toFixed(0)} s)`);
    }
    const uploadSeconds = seconds(t0);

    const t1 = Date.now();
    for (let w = 0; w < WORKERS; w++) children.push(await startLungang('worker', { ...env, LUNGANG_WORKER_SLOTS: String(SLOTS) }, 'worker started'));
    log(`${WORKERS} workers × ${SLOTS} slot(s) started; ${runs.length} runs queued`);

    const loads: number[] = [];
    const database = url.pathname.slice(1);
    const [server, ...workers] = children.map((c) => c.pid!);
    // Backends come and go: each counts from its first sample (one that ends between samples is missed, so the database's share is a lower bound).
    const dbSeen = new Map<number, number>();
    const dbCpu = () => backends(database).reduce((a, p) => {
      const now = cpuSeconds(p);
      if (!dbSeen.has(p)) dbSeen.set(p, now);
      return a + now - dbSeen.get(p)!;
    }, 0);
    const cpuAt = () => ({ workers: workers.reduce((a, p) => a + cpuSeconds(p), 0), server: cpuSeconds(server!), db: dbCpu() });
    const cpu0 = cpuAt();
    let cpuPlans = cpu0;
    let plansSeconds = 0;
    let rows: RunRow[] = [];
    const mine = new Set(runs.map((r) => r.runId));
    for (;;) {
      await new Promise((r) => setTimeout(r, 5000));
      loads.push(loadavg()[0]!);
      dbCpu();
      // One list request (the latest 200 runs) instead of a status poll per county: the server's CPU is part of the measurement.
      const listed = (await client.api('/api/runs', {}, admin)).items.filter((r: RunRow) => mine.has(r.id)) as RunRow[];
      const plansOpen = listed.filter((r) => ['queued', 'running'].includes(r.status)).length;
      let boundsOpen = 0;
      if (plansOpen === 0) {
        if (plansSeconds === 0) [plansSeconds, cpuPlans] = [seconds(t1), cpuAt()];
        rows = await Promise.all(runs.map((r) => client.api(`/api/runs/${r.runId}`, {}, r.cookie) as Promise<RunRow>));
        boundsOpen = rows.filter((r) => r.bounds && ['queued', 'running'].includes(r.bounds.status)).length;
      }
      log(`plans open ${plansOpen}, best-achievable open ${boundsOpen}, load ${loadavg()[0]!.toFixed(1)}`);
      if (plansOpen === 0 && boundsOpen === 0) break;
    }
    const allSeconds = seconds(t1);

    const done = rows.filter((r) => r.status === 'done');
    const solve = done.map((r) => r.elapsed_seconds ?? 0);
    const teachers = runs.reduce((a, r) => a + r.teachers, 0);
    const result = {
      counties: COUNTIES, teachers, workers: WORKERS, slotsPerWorker: SLOTS, cores: cpus().length, bestAchievable: BOUNDS,
      uploadSeconds: Math.round(uploadSeconds),
      plans: { done: done.length, failed: rows.length - done.length, auditOk: done.filter((r) => r.summary?.audit_ok).length,
        optimal: done.filter((r) => r.summary?.plan_status === 'optimal').length, rotated: done.reduce((a, r) => a + (r.summary?.rotated ?? 0), 0),
        makespanSeconds: Math.round(plansSeconds), perHour: Math.round((3600 * done.length) / plansSeconds),
        solveSeconds: { mean: solve.reduce((a, x) => a + x, 0) / Math.max(1, solve.length), p50: quantile(solve, 0.5), p90: quantile(solve, 0.9), max: Math.max(...solve) } },
      bounds: BOUNDS ? { done: rows.filter((r) => r.bounds?.status === 'done').length, untilAllSeconds: Math.round(allSeconds) } : null,
      cpuSecondsPerPlan: perPlan(cpu0, cpuPlans, done.length),
      cpuSecondsPerPlanWithBounds: BOUNDS ? perPlan(cpu0, cpuAt(), done.length) : null,
      loadAverage: { mean: loads.reduce((a, x) => a + x, 0) / Math.max(1, loads.length), max: Math.max(...loads) },
    };
    const perWorkerHour = result.plans.perHour / WORKERS;
    const c = result.cpuSecondsPerPlan;
    const perCoreHour = 3600 / c.workers;
    process.stdout.write([
      '',
      `| counties | teachers | workers | plans done (audit ok, optimal) | plans makespan | plans per hour | solve s mean / p50 / p90 / max | with best-achievable | load avg mean / max |`,
      '|---|---|---|---|---|---|---|---|---|',
      `| ${COUNTIES} | ${teachers.toLocaleString('en')} | ${WORKERS} × ${SLOTS} | ${done.length} (${result.plans.auditOk}, ${result.plans.optimal}) | ${result.plans.makespanSeconds} s | ${result.plans.perHour} | ` +
        `${result.plans.solveSeconds.mean.toFixed(1)} / ${result.plans.solveSeconds.p50} / ${result.plans.solveSeconds.p90} / ${result.plans.solveSeconds.max} | ` +
        `${BOUNDS ? `${result.bounds!.done} done, all by ${result.bounds!.untilAllSeconds} s` : 'off'} | ${result.loadAverage.mean.toFixed(1)} / ${result.loadAverage.max.toFixed(1)} |`,
      '',
      `CPU per plan: workers ${c.workers.toFixed(1)} s, server ${c.server.toFixed(2)} s, PostgreSQL ${c.db.toFixed(2)} s` +
        (BOUNDS ? `; with best-achievable: workers ${result.cpuSecondsPerPlanWithBounds!.workers.toFixed(1)} s` : '') + '.',
      `Measured wall: ${Math.round(perWorkerHour)} plans per hour per one-slot worker on this shared machine (load ${result.loadAverage.mean.toFixed(1)} on ${cpus().length} cores).`,
      `Projection: a worker with a core of its own plans ≈ 3600 / ${c.workers.toFixed(1)} = ${Math.round(perCoreHour)} counties per hour, N such workers ≈ ${Math.round(perCoreHour)} × N;`,
      `one server and one PostgreSQL keep up while N × ${Math.round(perCoreHour)} × (${c.server.toFixed(2)} + ${c.db.toFixed(2)}) CPU s per hour fit in their cores` +
        ` (≈ ${Math.floor(3600 / ((c.server + c.db) * perCoreHour))} workers per core of server + database).`,
      `Uploads (generate + upload + scenario + queue, one bureau after another): ${result.uploadSeconds} s.`,
      '',
    ].join('\n'));
    // What went wrong, if anything: ids, statuses and the product's own messages (no personal data).
    for (const r of rows.filter((x) => x.status !== 'done' || (BOUNDS && x.bounds?.status !== 'done'))) {
      log(`run ${r.id}: ${r.status}${r.message ? ` (${r.message})` : ''}; best achievable ${r.bounds?.status ?? '-'}${r.bounds?.message ? ` (${r.bounds.message})` : ''}`);
    }
    if (process.env.PROVINCE_OUT) await writeFile(process.env.PROVINCE_OUT, JSON.stringify(result, null, 2) + '\n');
    if (done.length !== rows.length || result.plans.auditOk !== done.length || (BOUNDS && result.bounds!.done !== rows.length)) process.exitCode = 1;
  } finally {
    for (const c of children.reverse()) await stop(c);
    await rm(dir, { recursive: true, force: true });
    const pgAdmin = new pg.Client({ connectionString: serverUrl });
    await pgAdmin.connect();
    await pgAdmin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(url.pathname.slice(1))} WITH (FORCE)`);
    await pgAdmin.end();
  }
}

await main();
