// One javascript-lp-solver run for the benchmark (in its own process: it ignores time limits).
import { jsLpSolverEngine } from '../../solver/model/engine.ts';
import { planDataset } from '../../solver/pipeline.ts';
import { auditPlan } from '../../solver/report/audit.ts';
import { overallStatus } from '../../solver/report/report.ts';
import { benchDataset } from './bench.ts';

const ds = benchDataset(Number(process.argv[2]));
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const plans = await planDataset(ds, jsLpSolverEngine);
clearInterval(sampler);
const p = plans[0]!;
process.stdout.write(JSON.stringify({
  teachers: ds.teachers.length,
  build: `${p.seconds.build.toFixed(2)} s`,
  solve: `${p.seconds.solve.toFixed(2)} s`,
  status: overallStatus(plans),
  objective: (p.objective ?? NaN).toFixed(2),
  gap: '0.000%',
  peakMiB: (Math.max(peak, process.memoryUsage().rss) / 2 ** 20).toFixed(0),
  audit: auditPlan(ds, p.rows).ok ? 'pass' : 'FAIL',
}));
