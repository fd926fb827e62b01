// `lungang cycle <dir> --years N --out <dir>`: a rotation cycle of N years (solver/cycle/multi-year.ts).
// Writes one folder per plan year — the year's input (teachers.csv as the roster stands that year,
// schools.csv, locks.csv, policy.json with the year's budget) beside its plan.csv, returns.csv and
// report.json, so `lungang audit <out>/2027 --plan <out>/2027/plan.csv` re-checks any year — and
// cycle.json, the summary. Exit codes: 0 every year planned and passing its audit; 1 some year has
// no plan or fails (every file still written); 2 bad input (nothing written).
import { availableParallelism } from 'node:os';
import { csvText } from '../solver/contract/csv-text.ts';
import { SCHOOLS, TEACHERS, type TableSpec } from '../solver/contract/columns.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import type { InputError } from '../solver/contract/input-errors.ts';
import { jsLpSolverEngine } from '../solver/model/engine.ts';
import { RETURN_COLUMNS } from '../solver/cycle/history.ts';
import { type CycleResult, type CycleYear, planCycle } from '../solver/cycle/multi-year.ts';
import { historyChecks } from '../solver/cycle/paper-rotation.ts';
import { buildReport } from '../solver/report/report.ts';
import { planCsvText } from '../solver/report/plan-rows.ts';
import { stayReasonsOf } from '../solver/report/stay-reasons.ts';
import { highsEngine } from './engine.ts';

type Values = Record<string, string | boolean | undefined>;
export interface CliKit {
  loadInput: (input: string, v: Values, lang: 'zh' | 'en') => Promise<Dataset | number>;
  writeAll: (outDir: string, files: Record<string, string>) => Promise<void>;
  fail: (errors: InputError[], lang: 'zh' | 'en') => number;
  usage: (problem?: string) => number;
}

/** A contract table back to CSV: list cells `;`-joined, booleans 1/0, the contract's column order. */
function tableCsv(spec: TableSpec, rows: readonly object[]): string {
  const cell = (v: unknown) => (Array.isArray(v) ? v.join(';') : typeof v === 'boolean' ? (v ? '1' : '0') : v);
  return csvText(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v)]))), spec.columns.map((c) => c.name));
}

function yearFiles(y: CycleYear): Record<string, string> {
  const d = String(y.year);
  const report = {
    ...buildReport(y.ds, y.plans), stay_reasons: stayReasonsOf(y.ds, y.plans), returns: y.returns,
    history_checks: historyChecks(y.ds.history ?? [], y.ds.teachers, y.ds.policy, y.rows),
  };
  return {
    [`${d}/plan.csv`]: planCsvText(y.rows),
    [`${d}/returns.csv`]: csvText(y.returns, RETURN_COLUMNS),
    [`${d}/report.json`]: `${JSON.stringify(report, null, 2)}\n`,
    [`${d}/teachers.csv`]: tableCsv(TEACHERS, y.ds.teachers),
    [`${d}/schools.csv`]: tableCsv(SCHOOLS, y.ds.schools),
    [`${d}/locks.csv`]: csvText(y.ds.locks, ['teacher_id', 'action', 'to_school_id', 'reason']),
    [`${d}/policy.json`]: `${JSON.stringify(y.ds.policy, null, 2)}\n`,
  };
}

/** cycle.json: per year the budget, who rotated, the audit and the 差异系数 before → after; the teachers left over. */
export function cycleSummary(c: CycleResult) {
  return {
    cycle_teachers: c.cycle_teachers,
    rotated: c.rotated,
    all_rotated: c.left_over.length === 0,
    bounds: c.bounds,
    pacing: c.pacing,
    years: c.years.map((y) => {
      const r = buildReport(y.ds, y.plans);
      return {
        year: y.year, status: r.status, eligible: r.counts.eligible, remaining_before: y.remaining_before, target: y.target, asked: y.asked, fell_back: y.fell_back, why_fell_back: y.why_fell_back, must_rotate: y.must_rotate, staff_floors: y.staff_floors,
        rotated: r.counts.rotated, cycle_rotated: y.cycle_rotated, returns: y.returns.length, audit_ok: y.audit.ok,
        cv: r.indicators.cv.map((v) => ({ county: v.county, stage: v.stage, indicator: v.indicator, before: v.before.cv, after: v.after.cv })),
      };
    }),
    left_over: c.left_over,
  };
}

export async function cycle(input: string, v: Values, lang: 'zh' | 'en', kit: CliKit): Promise<number> {
  if (typeof v.out !== 'string') return kit.usage('--out is required');
  const years = Number(v.years ?? 3);
  if (!Number.isInteger(years) || years < 1 || years > 10) {
    return kit.fail([{ file: '--years', line: 0, column: '-', message: `“${String(v.years)}”不是1–10之间的整数`, messageEn: `"${String(v.years)}" is not a whole number from 1 to 10` }], lang);
  }
  const ds = await kit.loadInput(input, v, lang);
  if (typeof ds === 'number') return ds;
  const result = await planCycle(ds, v.engine === 'jslp' ? jsLpSolverEngine : highsEngine(), years, { concurrency: availableParallelism() });
  const summary = cycleSummary(result);
  await kit.writeAll(v.out, { ...Object.assign({}, ...result.years.map(yearFiles)), 'cycle.json': `${JSON.stringify(summary, null, 2)}\n` });
  const say = (zh: string, en: string) => process.stdout.write(`${lang === 'en' ? en : zh}\n`);
  for (const y of summary.years) {
    say(`${y.year}年 ${y.status}：交流 ${y.rotated} 人（本周期教师 ${y.cycle_rotated} / 尚余 ${y.remaining_before}，要求 ${y.target}${y.fell_back ? `，无可行方案，改为 ${y.asked}` : ''}；须交流名单 ${y.must_rotate.listed} / 到期 ${y.must_rotate.due}）；期满返回 ${y.returns} 人；审核${y.audit_ok ? '通过' : '未通过'}`,
      `${y.year} ${y.status}: ${y.rotated} rotated (cycle teachers ${y.cycle_rotated} of ${y.remaining_before} waiting, asked ${y.target}${y.fell_back ? `, no plan, ${y.asked} instead` : ''}; must-rotate list ${y.must_rotate.listed} of ${y.must_rotate.due} due); ${y.returns} returns; audit ${y.audit_ok ? 'passed' : 'failed'}`);
  }
  const b = summary.bounds;
  const p = summary.pacing;
  say(`可达上限：骨干比例允许至多 ${b.by_backbone_share} 人（本周期骨干 ${b.backbone} 人）；各校流出上限允许至多 ${b.by_outflow_caps} 人`,
    `Bounds: the backbone share allows at most ${b.by_backbone_share} (${b.backbone} backbone in the cycle); the schools' outflow caps at most ${b.by_outflow_caps}`);
  if (p.other_rotated !== null) {
    say(`按步调排布与逐年自由排布各试一次，采用${p.kept === 'paced' ? '按步调排布' : '逐年自由排布'}（另一种交流 ${p.other_rotated} 人）`,
      `Planned paced and free, kept ${p.kept} (the other rotated ${p.other_rotated})`);
  }
  say(`周期内交流 ${summary.rotated} / ${summary.cycle_teachers} 名周期初符合条件的教师${summary.left_over.length > 0 ? `；未轮到 ${summary.left_over.length} 人（见 cycle.json left_over）` : ''}`,
    `${summary.rotated} of ${summary.cycle_teachers} teachers eligible at the cycle's start rotated${summary.left_over.length > 0 ? `; ${summary.left_over.length} not (see cycle.json left_over)` : ''}`);
  return summary.years.length === years && summary.years.every((y) => y.status !== 'infeasible' && y.audit_ok) ? 0 : 1;
}
