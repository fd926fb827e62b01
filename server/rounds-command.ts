// `lungang rounds <dir|book.xlsx> --out <dir> [--stop-after 1|2] [--from rounds.csv]`: one 县管校聘
// cycle — 校内竞聘, 跨校竞聘, 组织调剂, the county pool (solver/cycle/). Writes rounds.csv (every round's
// table) and rounds.json (each round's counts, share of the rotation and checks; with history.csv
// the returns and history checks, and returns.csv); after round 3
// also plan.csv, report.json and policy.json (the cycle's policy: `lungang audit <dir> --plan
// plan.csv --policy policy.json` re-checks the plan). Exit 0 every check passed, 1 some failed, 2 bad input.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { InputError } from '../solver/contract/input-errors.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import type { Application } from '../solver/contract/schemas.ts';
import { jsLpSolverEngine } from '../solver/model/engine.ts';
import { runCycle } from '../solver/cycle/cycle.ts';
import { applicationsOf, parseApplications, parseRoundsFile } from '../solver/cycle/cycle-files.ts';
import { applyHistory } from '../solver/cycle/history.ts';
import { cycleOutputs } from '../solver/cycle/cycle-outputs.ts';
import type { RoundNo, RoundRow } from '../solver/cycle/round-rows.ts';
import { highsEngine } from './engine.ts';

type Values = Record<string, string | boolean | undefined>;
export interface CliKit {
  fail(errors: InputError[], lang: 'zh' | 'en'): number;
  usage(problem?: string): number;
  loadInput(input: string, v: Values, lang: 'zh' | 'en'): Promise<Dataset | number>;
  writeAll(outDir: string, files: Record<string, string>): Promise<void>;
}

const unreadable = (file: string): InputError => ({ file, line: 0, column: '-', message: '无法读取文件', messageEn: 'cannot read the file' });

export async function rounds(input: string, v: Values, lang: 'zh' | 'en', kit: CliKit): Promise<number> {
  if (typeof v.out !== 'string') return kit.usage('--out is required');
  const stop = v['stop-after'] === undefined ? 3 : Number(v['stop-after']);
  if (stop !== 1 && stop !== 2 && stop !== 3) return kit.usage('--stop-after must be 1, 2 or 3');
  const loaded = await kit.loadInput(input, v, lang);
  if (typeof loaded === 'number') return loaded;
  // history.csv as `lungang plan` applies it: its stay locks keep those teachers' posts at home in round 1.
  const { ds, returns } = applyHistory(loaded);
  const errors: InputError[] = [];
  // --applications, else applications.csv beside the contract files or the workbook's sheet; none: round 2 places nobody.
  const appsPath = typeof v.applications === 'string' ? v.applications : /\.xlsx$/i.test(input) ? input : join(input, 'applications.csv');
  const appsText = await readFile(appsPath).catch(() => null);
  if (appsText === null && typeof v.applications === 'string') errors.push(unreadable(appsPath));
  let applications: Application[] = [];
  if (appsText !== null) {
    const a = /\.xlsx$/i.test(appsPath) ? await applicationsOf(ds, [{ name: basename(appsPath), content: appsText }]) : parseApplications(ds, basename(appsPath), appsText);
    if (a.ok) applications = a.rows; else errors.push(...a.errors);
  }
  let from: RoundRow[] | undefined;
  if (typeof v.from === 'string') {
    const text = await readFile(v.from).catch(() => null);
    const r = text === null ? null : parseRoundsFile(ds, basename(v.from), text);
    if (r === null) errors.push(unreadable(v.from)); else if (r.ok) from = r.rows; else errors.push(...r.errors);
  }
  if (errors.length > 0) return kit.fail(errors, lang);
  const engine = v.engine === 'jslp' ? jsLpSolverEngine : highsEngine();
  const cycle = await runCycle(ds, applications, engine, { ...(from ? { from } : {}), stopAfter: stop as RoundNo });
  await kit.writeAll(v.out, cycleOutputs(cycle, returns));
  for (const s of cycle.rounds) {
    const share = s.share_of_eligible === null ? '-' : `${(100 * s.share_of_eligible).toFixed(1)}%`;
    process.stdout.write(`${s.county ? `[${s.county}] ` : ''}第${s.round}轮 ${s.name}：参加 ${s.entered} 人，上岗 ${s.placed} 人，${s.round === 3 ? '进入蓄水池' : '转入下一轮'} ${s.left} 人；交流 ${s.counted} 人（骨干 ${s.backbone}），占符合条件教师 ${share}；${s.ok ? '本轮检查通过' : `未通过：${s.checks.filter((c) => !c.ok).map((c) => c.id).join('、')}`}\n`);
  }
  if (cycle.audit) process.stdout.write(cycle.audit.ok ? '全周期方案审核通过\n' : '全周期方案审核未通过\n');
  return cycle.rounds.every((s) => s.ok) && (cycle.audit?.ok ?? true) ? 0 : 1;
}
