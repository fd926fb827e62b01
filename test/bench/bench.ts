// `npm run bench`: teachers × engine → wall, build and solve time, status, gap over the WHOLE model,
// the pricing proof (columns priced in / of all, rounds), rotated ÷ minimum, peak memory, audit;
// for BENCH_E2E sizes (default 8,000, 20,000 and the 60,000-teacher city) also `lungang plan` end to
// end in a child process (start to exit) and that wall ÷ the engine's solve time in the same run.
// Each HiGHS row plans as `lungang plan` does (server/plan-counties.ts): a city's counties on the
// solve lanes, a single county in-process; its solve column is the engine's own time, summed.
// HiGHS (WebAssembly, in a worker) on every size; javascript-lp-solver, which has no working time
// limit, in a child process that is killed after JSLP_LIMIT_S seconds. Then the frontier of
// BENCH_FRONTIER counties (default 8,000 teachers): 5 points against one plan of the same county.
// BENCH_BOUNDS=1 adds, per size, the best achievable 差异系数 of every stage × indicator (one solve
// each, more where teachers may cross the CV scope's edge), as `lungang plan --bounds` computes it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CountyTables, generateCity, generateCounty, writeCountyCsv } from '../../data/generate.ts';
import { defaultPolicy } from '../../solver/contract/schemas.ts';
import type { Dataset } from '../../solver/contract/dataset.ts';
import { planDataset } from '../../solver/pipeline.ts';
import { DEFAULT_SHARES, planFrontier } from '../../solver/frontier.ts';
import { auditPlan } from '../../solver/report/audit.ts';
import { overallStatus } from '../../solver/report/report.ts';
import { bestAchievable } from '../../solver/report/best-achievable.ts';
import { highsEngine } from '../../server/engine.ts';
import { planCounties } from '../../server/plan-counties.ts';

const JSLP_LIMIT_S = Number(process.env.JSLP_LIMIT_S ?? 120);
const list = (v: string) => v.split(',').filter((x) => x.trim() !== '').map(Number);
const sizes = list(process.env.BENCH_SIZES ?? '1000,3000,5000,8000,20000,60000');
/** Counties (by teachers) whose 5-point frontier is timed against one plan; BENCH_FRONTIER= (empty) skips it. */
const frontierSizes = list(process.env.BENCH_FRONTIER ?? '8000');
/** Sizes also planned by `lungang plan` in a child process, from CSV files to report.json (end to end); BENCH_E2E= (empty) skips it. */
const endToEndSizes = list(process.env.BENCH_E2E ?? '8000,20000,60000');

const benchTables = (teachers: number, seed: number): CountyTables => teachers > 20000
  ? generateCity({ counties: Math.round(teachers / 6000), teachersPerCounty: 6000, seed })
  : generateCounty({ teachers, seed });

export function benchDataset(teachers: number, seed = 1): Dataset {
  // The default policy as a bureau would run it (60 s per county).
  return { ...benchTables(teachers, seed), policy: defaultPolicy() };
}

/**
 * The bench county as a planner runs it: `lungang plan` on its CSV files, timed from the process's
 * start to its exit (imports, parse, check, build, solve, report, files written), next to the
 * engine's solve time in that run's report.json. Counties run in lanes of one per core, so the
 * engine's (and the build's) time is their sum over the counties ÷ the lanes.
 */
async function endToEnd(teachers: number): Promise<{ wall: number; build: number; solve: number; status: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'lungang-bench-'));
  try {
    writeCountyCsv(join(dir, 'in'), benchTables(teachers, 1), defaultPolicy().year);
    const started = performance.now();
    await new Promise<void>((done, fail) => {
      // Exit code 1 (some county infeasible) still writes the report.
      execFile(process.execPath, ['bin/lungang.mjs', 'plan', join(dir, 'in'), '--out', join(dir, 'out')], { maxBuffer: 1 << 24 }, (err) => (err && err.code !== 1 ? fail(err) : done()));
    });
    const wall = (performance.now() - started) / 1000;
    const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')) as { status: string; solver: { build_seconds: number; solve_seconds: number }[] };
    const lanes = Math.min(availableParallelism(), report.solver.length);
    const perLane = (f: (c: (typeof report.solver)[number]) => number) => report.solver.reduce((a, c) => a + f(c), 0) / lanes;
    return { wall, build: perLane((c) => c.build_seconds), solve: perLane((c) => c.solve_seconds), status: report.status };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Row {
  teachers: number;
  counties: number;
  engine: string;
  /** Rotated ÷ the budget's minimum (1.00 = exactly the minimum). */
  rotatedVsMin: string;
  /** Columns in the final restricted model / all columns of the full model; pricing rounds. */
  proof: string;
  /** Wall-clock time of the whole plan (counties run in parallel, one per core). */
  wall: string;
  build: string;
  solve: string;
  status: string;
  objective: string;
  gap: string;
  peakMiB: string;
  audit: string;
  /** `lungang plan` in a child process, start to exit (`endToEnd`); '-' when not run. */
  endToEnd: string;
  /** That wall ÷ the engine's solve time in the same run. */
  endToEndVsSolve: string;
}

const NO_END_TO_END = { endToEnd: '-', endToEndVsSolve: '-' };

async function runHighs(teachers: number): Promise<Row> {
  const ds = benchDataset(teachers);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const plans = await planCounties(ds, highsEngine(), null, {});
  const wall = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const audit = auditPlan(ds, plans.flatMap((p) => p.rows));
  const sum = (f: (p: (typeof plans)[number]) => number) => plans.reduce((a, p) => a + f(p), 0);
  const gaps = plans.flatMap((p) => (p.gap === null ? [] : [p.gap]));
  const unproven = plans.length - gaps.length;
  const rounds = plans.map((p) => p.proof?.pricing_rounds ?? 0);
  const e2e = endToEndSizes.includes(teachers) ? await endToEnd(teachers) : null;
  return {
    teachers: ds.teachers.length,
    counties: plans.length,
    engine: 'highs (wasm)',
    rotatedVsMin: (sum((p) => p.moves.length) / sum((p) => p.budget.min)).toFixed(2),
    proof: `${sum((p) => p.proof?.columns_final ?? 0).toLocaleString('en')} / ${sum((p) => p.proof?.columns_total ?? 0).toLocaleString('en')}, ${Math.min(...rounds)}–${Math.max(...rounds)} rounds`,
    wall: `${wall.toFixed(2)} s`,
    build: `${sum((p) => p.seconds.build).toFixed(2)} s`,
    solve: `${sum((p) => p.seconds.solve).toFixed(2)} s`,
    status: overallStatus(plans),
    objective: sum((p) => p.objective ?? NaN).toFixed(2),
    // A county stopped by the hard limit has a plan but no bound: counted, not hidden in a NaN.
    gap: `${gaps.length > 0 ? Math.max(...gaps).toExponential(1) : '–'}${unproven > 0 ? ` (${unproven} without bound)` : ''}`,
    peakMiB: (peak / 2 ** 20).toFixed(0),
    audit: audit.ok ? 'pass' : 'FAIL',
    ...(e2e ? {
      endToEnd: `${e2e.wall.toFixed(2)} s (build ${e2e.build.toFixed(2)} s, ${e2e.status})`,
      endToEndVsSolve: `${(e2e.wall / e2e.solve).toFixed(2)}× (solve ${e2e.solve.toFixed(2)} s)`,
    } : NO_END_TO_END),
  };
}

/** The 5-point frontier (DEFAULT_SHARES) against one plan at the minimum, on the same county. */
async function runFrontier(teachers: number): Promise<Row> {
  const ds = benchDataset(teachers);
  const one = performance.now();
  await planDataset(ds, highsEngine());
  const oneWall = (performance.now() - one) / 1000;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const points = await planFrontier(ds, highsEngine(), DEFAULT_SHARES);
  const wall = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const plans = points.flatMap((p) => p.plans);
  const rows = points.flatMap((p) => p.rows);
  const ends = <T>(xs: T[]) => `${xs[0]} → ${xs.at(-1)}`;
  return {
    teachers: ds.teachers.length,
    counties: points[0]!.plans.length,
    engine: `highs frontier, ${points.length} points`,
    rotatedVsMin: ends(plans.map((p) => (p.moves.length / p.budget.min).toFixed(2))),
    proof: 'warm start: previous point',
    wall: `${wall.toFixed(2)} s = ${(wall / oneWall).toFixed(1)}× one plan (${oneWall.toFixed(2)} s)`,
    build: `${plans.reduce((a, p) => a + p.seconds.build, 0).toFixed(2)} s`,
    solve: `${plans.reduce((a, p) => a + p.seconds.solve, 0).toFixed(2)} s`,
    status: [...new Set(plans.map((p) => p.status))].join('/'),
    objective: ends(rows.map((r) => r.objective?.toFixed(2) ?? '-')),
    gap: Math.max(...plans.map((p) => p.gap ?? NaN)).toExponential(1),
    peakMiB: (peak / 2 ** 20).toFixed(0),
    audit: rows.every((r) => r.audit_ok === true) ? 'pass' : 'FAIL',
    ...NO_END_TO_END,
  };
}

async function runBounds(teachers: number): Promise<Row> {
  const ds = benchDataset(teachers);
  const started = performance.now();
  const found = await bestAchievable(ds, highsEngine());
  const proven = found.filter((b) => b.proven).length;
  const gap = Math.max(...found.map((b) => (b.best_achievable ?? NaN) - (b.bound ?? NaN)));
  return {
    teachers: ds.teachers.length, counties: new Set(found.map((b) => b.county)).size, engine: 'highs, best achievable', rotatedVsMin: '-',
    proof: `${found.reduce((a, b) => a + b.solves, 0)} solves`, wall: `${((performance.now() - started) / 1000).toFixed(2)} s`, build: '-', solve: '-',
    status: `${proven}/${found.length} proven`, objective: '-', gap: `CV ${gap.toExponential(1)}`, peakMiB: '-', audit: '-', ...NO_END_TO_END,
  };
}

function runJsLp(teachers: number): Promise<Row> {
  return new Promise((done) => {
    const started = performance.now();
    execFile(
      process.execPath,
      ['bin/run-ts.mjs', 'test/bench/bench-jslp.ts', String(teachers)],
      { timeout: JSLP_LIMIT_S * 1000, maxBuffer: 1 << 20 },
      (err, stdout) => {
        const base = { teachers, counties: 1, engine: 'javascript-lp-solver', rotatedVsMin: '-', proof: 'full model', wall: '-', build: '-', objective: '-', gap: '-', peakMiB: '-', audit: '-', ...NO_END_TO_END };
        if (err) return done({ ...base, solve: `> ${JSLP_LIMIT_S} s`, status: err.killed ? 'killed' : `error: ${err.message.split('\n')[0]}` });
        const r = JSON.parse(stdout) as Partial<Row>;
        done({ ...base, status: '-', ...r, solve: r.solve ?? `${((performance.now() - started) / 1000).toFixed(2)} s` });
      },
    );
  });
}

async function main() {
  const rows: Row[] = [];
  for (const n of sizes) {
    rows.push(await runHighs(n));
    console.error(JSON.stringify(rows.at(-1)));
    if (process.env.BENCH_BOUNDS === '1') {
      rows.push(await runBounds(n));
      console.error(JSON.stringify(rows.at(-1)));
    }
    if (n <= 1000) {
      rows.push(await runJsLp(n));
      console.error(JSON.stringify(rows.at(-1)));
    }
  }
  for (const n of frontierSizes) {
    rows.push(await runFrontier(n));
    console.error(JSON.stringify(rows.at(-1)));
  }
  const cols = Object.keys(rows[0]!) as (keyof Row)[];
  console.log(`| ${cols.join(' | ')} |\n|${cols.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${cols.map((c) => r[c]).join(' | ')} |`);
}

if (process.argv[1]?.endsWith('bench.ts')) await main();
