// `npm run bench:modes` (test/bench/bench-modes.ts): the 8,000-teacher bench county (bench.ts)
// planned with the default policy, then with 支教 allowed beside transfers and flows.cluster =
// prefer (issue 11: within 2× the time), then the same with every other school exactly at quota,
// where 支教 is the only way in without a transfer out; then both with 走教 on top.
// Counties are planned one after another on one core; each run is repeated MODES_BENCH_RUNS
// times (default 2) and the table prints every run, with the load average.
import { loadavg } from 'node:os';
import type { Dataset } from '../../solver/contract/dataset.ts';
import { planDataset } from '../../solver/pipeline.ts';
import { auditPlan } from '../../solver/report/audit.ts';
import { highsEngine } from '../../server/engine.ts';
import { benchDataset } from './bench.ts';

const RUNS = Number(process.env.MODES_BENCH_RUNS ?? 2);
const TEACHERS = Number(process.env.MODES_BENCH_TEACHERS ?? 8000);

function modesOn(ds: Dataset, atQuota: boolean, itinerant = false): Dataset {
  const policy = structuredClone(ds.policy);
  policy.modes.support.allowed = true;
  policy.modes.itinerant.allowed = itinerant;
  policy.flows.cluster = 'prefer';
  if (!atQuota) return { ...ds, policy };
  const staff = new Map<string, number>();
  for (const t of ds.teachers) staff.set(t.school_id, (staff.get(t.school_id) ?? 0) + 1);
  return { ...ds, policy, schools: ds.schools.map((s, i) => (i % 2 === 0 ? { ...s, quota: staff.get(s.id) ?? 0 } : s)) };
}

async function run(name: string, ds: Dataset): Promise<Record<string, string>> {
  const started = performance.now();
  const plans = await planDataset(ds, highsEngine(), { concurrency: 1 });
  const wall = (performance.now() - started) / 1000;
  const p = plans[0]!;
  const audit = auditPlan(ds, plans.flatMap((x) => x.rows)).counties[0]!;
  const mode = (m: string) => audit.counts.by_mode.find((x) => x.mode === m)!.rotated;
  return {
    case: name, wall: `${wall.toFixed(2)} s`, build: `${p.seconds.build.toFixed(2)} s`, solve: `${p.seconds.solve.toFixed(2)} s`,
    status: p.status, gap: p.gap === null ? '-' : p.gap.toExponential(1),
    columns: `${p.proof?.columns_final ?? 0} / ${p.proof?.columns_total ?? 0}`,
    moves: `${mode('transfer')} transfer + ${mode('support')} 支教 + ${mode('itinerant')} 走教; ${audit.counts.within_cluster} within / ${audit.counts.cross_cluster} across clusters`,
    audit: audit.ok ? 'pass' : 'FAIL', load: loadavg().map((x) => x.toFixed(1)).join(' '),
  };
}

const base = benchDataset(TEACHERS);
const rows: Record<string, string>[] = [];
for (let i = 0; i < RUNS; i++) {
  rows.push(await run('default policy', base));
  rows.push(await run('支教 + clusters prefer', modesOn(base, false)));
  rows.push(await run('支教 + clusters prefer, every other school at quota', modesOn(base, true)));
  rows.push(await run('支教 + 走教 + clusters prefer', modesOn(base, false, true)));
  rows.push(await run('支教 + 走教 + clusters prefer, every other school at quota', modesOn(base, true, true)));
}
console.table(rows);
