// The `lungang` command line. Exit codes: 0 plan (or frontier) written / audit passed; 1
// infeasible, at some point for a frontier (report still written) / audit failed; 2 bad input
// (errors on stderr, nothing written).
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { csvText } from '../solver/contract/csv-text.ts';
import { formatInputError, type InputError } from '../solver/contract/input-errors.ts';
import { jsLpSolverEngine } from '../solver/model/engine.ts';
import { type LinearModel, toLpText } from '../solver/model/linear-model.ts';
import type { PlanRow } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import type { CountyPlan } from '../solver/pipeline.ts';
import { frontierBestCsvText, frontierCsvText, frontierShares, planFrontier, shareLabel } from '../solver/frontier.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { auditSections, buildReport } from '../solver/report/report.ts';
import { planCsvText } from '../solver/report/plan-rows.ts';
import { destinationsOf } from '../solver/policy/objective.ts';
import { ELIGIBILITY_COLUMNS, eligibilityRows } from '../solver/policy/eligibility.ts';
import { stayReasonsOf } from '../solver/report/stay-reasons.ts';
import { type AchievableFields, type CvRowLike, withBestAchievable } from '../solver/report/best-achievable.ts';
import { STAGE_ZH } from '../solver/contract/labels.ts';
import { allocatePosts, postsCsvText, postsProblemErrors } from '../solver/cycle/posts.ts';
import { NOTICE_LISTS, type NoticeList, noticeTable } from '../solver/report/notice-lists.ts';
import { noticeHtml, noticeWorkbook } from './notice-export.ts';
import { highsEngine } from './engine.ts';
import { boundCounties, planCounties } from './plan-counties.ts';
import { loadDatasetFrom, parsePlanCsv } from './contract-files.ts';
import { rounds } from './rounds-command.ts';
import { cycle } from './cycle-command.ts';
import { RETURN_COLUMNS, applyHistory } from '../solver/cycle/history.ts';
import { historyFields } from '../solver/cycle/paper-rotation.ts';

const USAGE = `用法 / usage:
  lungang plan <数据目录或.xlsx> --out <输出目录> [--policy policy.json] [--time-limit 秒（整条命令）] [--engine highs|jslp] [--export-lp model.lp] [--baseline 上次/plan.csv] [--bounds] [--lang zh|en]
  lungang audit <数据目录或.xlsx> --plan plan.csv [--out report.json] [--policy policy.json] [--lang zh|en]
  lungang frontier <数据目录或.xlsx> --out <输出目录> [--shares 0.10,0.12,0.15,0.20,0.25] [--bounds] [--policy policy.json] [--time-limit 秒] [--engine highs|jslp] [--lang zh|en]
  lungang rounds <数据目录或.xlsx> --out <输出目录> [--stop-after 1|2] [--from 已编辑/rounds.csv] [--applications applications.csv] [--policy policy.json] [--time-limit 秒] [--engine highs|jslp]
  lungang cycle <数据目录或.xlsx> --years 3 --out <输出目录> [--policy policy.json] [--time-limit 秒] [--engine highs|jslp]   多年交流周期 / a rotation cycle of several years
  lungang posts <数据目录或.xlsx> --out posts.csv [--policy policy.json] [--lang zh|en]   编制与岗位分配（可作学科需求读入）
  lungang notice <数据目录或.xlsx> --list eligible|plan [--plan plan.csv] [--adopted] --out 名单.xlsx|名单.html [--policy policy.json] [--lang zh|en]   公示名单
  lungang unlock <用户名>   解除登录锁定（数据库 LUNGANG_DATABASE_URL 或 DATABASE_PATH，默认 var/lungang.db） / lift a login lockout
  lungang worker   生产模式的求解进程（LUNGANG_DATABASE_URL，见 README“生产模式”） / a production-mode solve worker`;

function fail(errors: InputError[], lang: 'zh' | 'en'): number {
  for (const e of errors) process.stderr.write(`${formatInputError(e, lang)}\n`);
  process.stderr.write(lang === 'zh' ? `共${errors.length}处错误，未写出任何文件。\n` : `${errors.length} error(s); nothing was written.\n`);
  return 2;
}

/** Writes all files or none: into a sibling temp dir first, then moved into place. */
async function writeAll(outDir: string, files: Record<string, string>): Promise<void> {
  const tmp = `${outDir.replace(/[\\/]+$/, '')}.tmp-${process.pid}`;
  await mkdir(tmp, { recursive: true });
  try {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(dirname(join(tmp, name)), { recursive: true });
      await writeFile(join(tmp, name), text);
    }
    for (const name of Object.keys(files)) {
      await mkdir(dirname(join(outDir, name)), { recursive: true });
      await rename(join(tmp, name), join(outDir, name));
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** A plan.csv given on the command line, or the exit code of an unreadable or bad one. */
async function readPlanFile(path: string, unreadable: [zh: string, en: string], lang: 'zh' | 'en'): Promise<PlanRow[] | number> {
  const text = await readFile(path).catch(() => null);
  if (text === null) return fail([{ file: path, line: 0, column: '-', message: unreadable[0], messageEn: unreadable[1] }], lang);
  const parsed = parsePlanCsv('plan.csv', text);
  return parsed.ok ? parsed.rows : fail(parsed.errors, lang);
}

/** The dataset with --policy and --time-limit applied, or the exit code of bad input. */
async function loadInput(input: string, v: Record<string, string | boolean | undefined>, lang: 'zh' | 'en'): Promise<Dataset | number> {
  const loaded = await loadDatasetFrom(input, typeof v.policy === 'string' ? v.policy : undefined);
  if (!loaded.ok) return fail(loaded.errors, lang);
  const ds = loaded.dataset;
  if (typeof v['time-limit'] === 'string') ds.policy.solver.timeLimitSeconds = Number(v['time-limit']);
  return ds;
}

/**
 * `plan --time-limit N` holds for the whole command, from the process's start to the report
 * written: every solve is over by this Date.now(), which leaves the report its time (measured:
 * about 1 s at 20,000 teachers on a busy 2-core machine). Without the option, each county has the
 * policy's solver.timeLimitSeconds.
 */
function commandDeadline(v: Record<string, string | boolean | undefined>, ds: Dataset): number | undefined {
  if (typeof v['time-limit'] !== 'string') return undefined;
  const reportSeconds = 0.5 + ds.teachers.length / 20000;
  return performance.timeOrigin + (Number(v['time-limit']) - reportSeconds) * 1000;
}

async function plan(input: string, v: Record<string, string | boolean | undefined>, lang: 'zh' | 'en'): Promise<number> {
  if (typeof v.out !== 'string') return usage('--out is required');
  const loaded = await loadInput(input, v, lang);
  if (typeof loaded === 'number') return loaded;
  // history.csv: its stay locks and career counters enter the plan; the returns are listed apart.
  const { ds, returns } = applyHistory(loaded);
  const baseline = typeof v.baseline === 'string' ? await readPlanFile(v.baseline, ['无法读取基准方案文件', 'cannot read the baseline plan'], lang) : undefined;
  if (typeof baseline === 'number') return baseline;
  const lps = new Map<string, string>();
  const deadline = commandDeadline(v, ds);
  const engine = v.engine === 'jslp' ? jsLpSolverEngine : highsEngine();
  const exportLp = typeof v['export-lp'] === 'string';
  const onModel = exportLp ? (county: string, model: LinearModel) => void lps.set(county, toLpText(model, `lungang county ${county}`)) : null;
  const plans = await planCounties(ds, engine, onModel, { ...(baseline ? { baseline } : {}), ...(deadline === undefined ? {} : { deadline }) });
  const stay = stayReasonsOf(ds, plans);
  // --bounds: per stage × indicator, the lowest CV any plan could reach (one more solve each, or a few).
  const planned = plans.filter((p) => p.status !== 'infeasible').map((p) => p.county);
  const rowsOfPlan = plans.flatMap((p) => p.rows);
  const bounds = v.bounds === true ? await boundCounties(ds, engine, { counties: planned, plan: rowsOfPlan, ...(deadline === undefined ? {} : { deadline }) }) : null;
  const plain = { ...buildReport(ds, plans), stay_reasons: stay, ...historyFields(ds, rowsOfPlan, returns) };
  const achieved = bounds ? withBestAchievable(plain, bounds) : null;
  const report = achieved ?? plain;
  if (typeof v['export-lp'] === 'string') {
    await mkdir(dirname(resolve(v['export-lp'])), { recursive: true });
    await writeFile(v['export-lp'], plans.map((p) => lps.get(p.county) ?? '').filter(Boolean).join('\n'));
  }
  const rows = rowsOfPlan;
  const moved = destinationsOf(rows);
  const noncompliant = plans.flatMap((p) => p.noncompliant?.rows ?? []);
  const why = new Map([...rows.map((r) => [r.teacher_id, r.reason] as const), ...Object.entries(stay)]);
  await writeAll(v.out, {
    'plan.csv': planCsvText(rows),
    // The best plan that breaks only the rules report.json names: for discussion, never for adoption.
    ...(noncompliant.length > 0 ? { 'plan-noncompliant.csv': planCsvText(noncompliant) } : {}),
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    ...(ds.history ? { 'returns.csv': csvText(returns, RETURN_COLUMNS) } : {}),
    'eligibility.csv': csvText(eligibilityRows(ds.teachers, ds.policy, moved, why), ELIGIBILITY_COLUMNS),
  });
  const c = report.counts;
  process.stdout.write(
    `状态 ${report.status}；交流 ${c.rotated} 人 / 符合条件 ${c.eligible} 人；骨干 ${c.backbone_rotated} 人；目标值 ${report.objective?.toFixed(2) ?? '-'}；MIP gap ${report.mip_gap ?? '-'}\n`,
  );
  if (plans.length > 1) process.stdout.write(`${countyStatusLine(plans)}\n`);
  for (const c of achieved?.indicators.cv ?? []) process.stdout.write(achievableLine(c));
  for (const k of report.infeasibility) process.stdout.write(`  ✗ ${k.county ? `[${k.county}] ` : ''}${k.message}\n`);
  if (noncompliant.length > 0) process.stdout.write(`  不合规的参考方案（违反：${[...new Set(report.noncompliant_plan.flatMap((n) => n.breaks))].join('、')}）已写入 plan-noncompliant.csv，不可直接采用\n`);
  return report.status === 'infeasible' ? 1 : 0;
}

/**
 * One line, every county's status: `县A optimal · 县B infeasible（cause） · 县C optimal`. Counties
 * are planned on their own, so the overall `infeasible` above does not say which one has no plan.
 * The cause is the first conflict up to its remedy (after the first ；): the ✗ lines below give all.
 */
function countyStatusLine(plans: readonly CountyPlan[]): string {
  const cause = (p: CountyPlan) => {
    const [first, ...more] = p.conflicts;
    const text = (first?.message ?? p.message ?? p.noPlanCause ?? '').split('；')[0];
    return text ? `（${text}${more.length > 0 ? `；另有${more.length}处冲突` : ''}）` : '';
  };
  return plans.map((p) => `${p.county || '（未填县区）'} ${p.status}${p.status === 'infeasible' ? cause(p) : ''}`).join(' · ');
}

async function frontier(input: string, v: Record<string, string | boolean | undefined>, lang: 'zh' | 'en'): Promise<number> {
  if (typeof v.out !== 'string') return usage('--out is required');
  const ds = await loadInput(input, v, lang);
  if (typeof ds === 'number') return ds;
  const picked = frontierShares(ds.policy, typeof v.shares === 'string' ? v.shares.split(',').map((x) => Number(x.trim())) : undefined);
  if ('problem' in picked) return fail([{ file: '--shares', line: 0, column: '-', message: picked.problem, messageEn: picked.problemEn }], lang);
  const files: Record<string, string> = {};
  const points = await planFrontier(ds, v.engine === 'jslp' ? jsLpSolverEngine : highsEngine(), picked.shares, {
    bounds: v.bounds === true,
    onBest: ({ share, best }) => {
      for (const b of best ?? []) {
        const line = achievableLine({ ...b, max: ds.policy.indicators.cvMax[b.stage], before: { cv: b.cv_before }, after: { cv: b.cv_plan } });
        if (line) process.stdout.write(`交流上限 ${shareLabel(share)}：${line.trimStart()}`);
      }
    },
    onPoint: ({ share, ds: at, plans, rows }) => {
      const dir = `plans/${shareLabel(share)}`;
      files[`${dir}/plan.csv`] = planCsvText(plans.flatMap((p) => p.rows));
      // The point's own policy (its upper share), so `lungang audit --policy` checks the plan against its budget.
      files[`${dir}/policy.json`] = `${JSON.stringify(at.policy, null, 2)}\n`;
      files[`${dir}/report.json`] = `${JSON.stringify({ ...buildReport(at, plans), stay_reasons: stayReasonsOf(at, plans) }, null, 2)}\n`;
      for (const r of rows) {
        process.stdout.write(`交流上限 ${shareLabel(share)}${r.county ? ` [${r.county}]` : ''}：${r.status}，交流 ${r.rotated ?? '-'} / ${r.max_rotated} 人，目标值 ${r.objective?.toFixed(2) ?? '-'}\n`);
      }
    },
  });
  const rows = points.flatMap((p) => p.rows);
  // --bounds: per point, county, stage and indicator the lowest CV any plan could reach at that cap.
  const best: Record<string, string> = v.bounds === true ? { 'frontier-best.csv': frontierBestCsvText(points) } : {};
  await writeAll(v.out, { 'frontier.csv': frontierCsvText(rows), ...best, ...files });
  return rows.some((r) => r.status === 'infeasible') ? 1 : 0;
}

const INDICATOR_SHORT: Record<string, string> = { aboveDegree: '高学历', backbone: '骨干', peArt: '体育艺术' };
const pct = (x: number) => `${Math.round(100 * x)}%`;

function achievableLine(c: CvRowLike & AchievableFields): string {
  if (c.best_achievable === null) return '';
  const share = c.share_of_achievable === null ? '交流无法降低此差异系数' : `本方案达到可实现降幅的 ${pct(c.share_of_achievable)}`;
  const head = `  ${c.county ? `[${c.county}] ` : ''}${STAGE_ZH[c.stage]}${INDICATOR_SHORT[c.indicator]}差异系数`;
  return `${head}：交流前 ${c.before.cv?.toFixed(3)}，本方案 ${c.after.cv?.toFixed(3)}，最低可达 ${c.best_achievable.toFixed(3)}（${share}）${c.best_achievable_note ? `；${c.best_achievable_note}` : ''}\n`;
}

async function audit(input: string, v: Record<string, string | boolean | undefined>, lang: 'zh' | 'en'): Promise<number> {
  if (typeof v.plan !== 'string') return usage('--plan is required');
  const loaded = await loadDatasetFrom(input, typeof v.policy === 'string' ? v.policy : undefined);
  const planText = await readFile(v.plan).catch(() => null);
  if (planText === null) return fail([{ file: v.plan, line: 0, column: '-', message: '无法读取方案文件', messageEn: 'cannot read the plan file' }], lang);
  const parsed = parsePlanCsv('plan.csv', planText);
  const errors = [...(loaded.ok ? [] : loaded.errors), ...(parsed.ok ? [] : parsed.errors)];
  if (!loaded.ok || !parsed.ok) return fail(errors, lang);
  const d = loaded.dataset;
  // The auditor's history checks (paper rotations, deferrals past the limit) are findings beside the rules, listed per teacher.
  const result = { ...auditSections(d, auditPlan(d, parsed.rows)), ...historyFields(d, parsed.rows) };
  if (typeof v.out === 'string') await writeFile(v.out, `${JSON.stringify(result, null, 2)}\n`);
  for (const r of result.rules) {
    const head = `${r.ok ? '✓' : '✗'} ${r.county ? `[${r.county}] ` : ''}${r.id}`;
    // Each rule carries its English texts, written from the same numbers (rules.ts *_en).
    process.stdout.write(lang === 'zh' ? `${head} ${r.name}：要求 ${r.required}，实际 ${r.actual}\n` : `${head} ${r.name_en}: required ${r.required_en}, actual ${r.actual_en}\n`);
    for (const d of r.ok ? [] : ((lang === 'zh' ? r.details : r.details_en) ?? []).slice(0, 20)) process.stdout.write(`    ${d}\n`);
  }
  for (const c of result.history_checks ?? []) {
    process.stdout.write(`${c.ok ? '✓' : '!'} ${c.id} ${lang === 'zh' ? c.name : c.name_en}：${c.teachers.length}\n`);
    for (const t of c.teachers.slice(0, 20)) process.stdout.write(`    ${t.teacher_id} ${lang === 'zh' ? t.detail : t.detail_en}\n`);
  }
  process.stdout.write(lang === 'zh' ? (result.audit_ok ? '审核通过\n' : '审核未通过\n') : (result.audit_ok ? 'Audit passed\n' : 'Audit failed\n'));
  return result.audit_ok ? 0 : 1;
}

/** posts.csv: the county's 编制 and 岗位 shared out per school, stage and subject (solver/cycle/posts.ts). */
async function posts(input: string, v: Record<string, string | boolean | undefined>, lang: 'zh' | 'en'): Promise<number> {
  if (typeof v.out !== 'string') return usage('--out is required');
  const ds = await loadInput(input, v, lang);
  if (typeof ds === 'number') return ds;
  const r = allocatePosts(ds.schools, ds.policy);
  if (!r.ok) return fail(postsProblemErrors(r.problems), lang);
  await mkdir(dirname(resolve(v.out)), { recursive: true });
  await writeFile(v.out, postsCsvText(r.rows));
  for (const c of r.counties) {
    const g = (st: 'primary' | 'junior') => c.stages[st];
    process.stdout.write(lang === 'zh'
      ? `${c.county ? `[${c.county}] ` : ''}编制总量 ${c.quota}；小学 ${g('primary').posts}（高级 ${g('primary').senior}/一级 ${g('primary').first}/二级 ${g('primary').second}），初中 ${g('junior').posts}（高级 ${g('junior').senior}/一级 ${g('junior').first}/二级 ${g('junior').second}）；乡村小规模学校保底 ${c.floored.schools} 所 ${c.floored.posts} 人\n`
      : `${c.county ? `[${c.county}] ` : ''}quota ${c.quota}; primary ${g('primary').posts} (senior ${g('primary').senior}/first ${g('primary').first}/second ${g('primary').second}), junior ${g('junior').posts} (senior ${g('junior').senior}/first ${g('junior').first}/second ${g('junior').second}); small rural floors ${c.floored.schools} schools, ${c.floored.posts} posts\n`);
  }
  return 0;
}

/**
 * A 公示 list as XLSX or a printable HTML page (by the --out extension), the same table the server
 * serves. The CLI is the planner's tool: full names; the plan list is titled a draft unless --adopted.
 */
async function notice(input: string, v: Record<string, string | boolean | undefined>, lang: 'zh' | 'en'): Promise<number> {
  if (typeof v.out !== 'string' || !/\.(xlsx|html)$/i.test(v.out)) return usage('--out must name a .xlsx or .html file');
  if (!NOTICE_LISTS.includes(v.list as NoticeList)) return usage(`--list must be ${NOTICE_LISTS.join(' or ')}`);
  if (v.list === 'plan' && typeof v.plan !== 'string') return usage('--list plan needs --plan plan.csv');
  const ds = await loadInput(input, v, lang);
  if (typeof ds === 'number') return ds;
  const plan = typeof v.plan === 'string' ? await readPlanFile(v.plan, ['无法读取方案文件', 'cannot read the plan file'], lang) : [];
  if (typeof plan === 'number') return plan;
  const table = noticeTable({
    list: v.list as NoticeList, lang, policy: ds.policy, schools: ds.schools, teachers: ds.teachers, plan, name: (t) => t.name, draft: v.adopted !== true,
  });
  await mkdir(dirname(resolve(v.out)), { recursive: true });
  await writeFile(v.out, /\.xlsx$/i.test(v.out) ? await noticeWorkbook(table) : noticeHtml(table, lang));
  process.stdout.write(`${table.title}：${table.rows.length} ${lang === 'zh' ? '行' : 'rows'}\n`);
  return 0;
}

/** Lifts a login lockout on the server's database: the way back in when no admin can log in. */
async function unlock(username: string, lang: 'zh' | 'en'): Promise<number> {
  const path = process.env.LUNGANG_DATABASE_URL || resolve(process.env.DATABASE_PATH ?? 'var/lungang.db');
  if (!process.env.LUNGANG_DATABASE_URL && !existsSync(path)) {
    process.stderr.write(lang === 'zh' ? `数据库不存在：${path}\n` : `no database at ${path}\n`);
    return 2;
  }
  const { openDb } = await import('./db.ts');
  const { unlockByName } = await import('./login-lockout.ts');
  const db = await openDb(path);
  try {
    if (!await unlockByName(db, username)) {
      process.stderr.write(lang === 'zh' ? `用户不存在：${username}\n` : `no user ${username}\n`);
      return 2;
    }
    process.stdout.write(lang === 'zh' ? `已解除 ${username} 的登录锁定\n` : `${username} unlocked\n`);
    return 0;
  } finally {
    await db.close();
  }
}

function usage(problem?: string): number {
  if (problem) process.stderr.write(`${problem}\n`);
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' }, plan: { type: 'string' }, policy: { type: 'string' }, 'time-limit': { type: 'string' },
        engine: { type: 'string' }, 'export-lp': { type: 'string' }, lang: { type: 'string' }, baseline: { type: 'string' }, shares: { type: 'string' }, bounds: { type: 'boolean' },
        'stop-after': { type: 'string' }, from: { type: 'string' }, applications: { type: 'string' }, years: { type: 'string' }, list: { type: 'string' }, adopted: { type: 'boolean' },
      },
    });
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const lang = values.lang === 'en' ? 'en' : 'zh';
  const [command, input] = positionals;
  if (command === 'serve') { await (await import('./main.ts')).serve(); return 0; }
  if (command === 'unlock') return input ? unlock(input, lang) : usage();
  if (command === 'worker') { await (await import('./solve-queue.ts')).work(); return 0; }
  const commands = {
    plan, audit, frontier, posts, notice,
    rounds: (i: string, v: Record<string, string | boolean | undefined>, l: 'zh' | 'en') => rounds(i, v, l, { fail, usage, loadInput, writeAll }),
    cycle: (i: string, v: Record<string, string | boolean | undefined>, l: 'zh' | 'en') => cycle(i, v, l, { loadInput, writeAll, fail, usage }),
  };
  if (!input || !Object.hasOwn(commands, command ?? '')) return usage();
  return commands[command as keyof typeof commands](input, values, lang);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`内部错误：${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
