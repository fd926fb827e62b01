// Everything CPU-heavy the server does, run inside a worker thread (started through
// run-worker.mjs) so the event loop that answers requests never stalls:
//
// - mode 'solve': one run, in its own worker. Parse the dataset's stored files, apply the
//   scenario's policy and locks, plan every county with HiGHS (itself in a nested worker), build
//   report.json and the run summary; post progress, then the result. Cancelling or the hard time
//   limit terminates this worker, and with it the nested HiGHS worker.
// - mode 'frontier': one frontier (frontier-job.ts), like a solve.
// - mode 'bounds': after a run with a plan, in its own worker like a solve: the best achievable
//   差异系数 per county × stage × indicator (solver/report/best-achievable.ts) and the plan's share.
// - mode 'tasks': a long-lived worker answering requests one at a time: validate an upload,
//   validate a scenario's locks, audit a plan, build an XLSX workbook or an audit PDF, a scenario's rotation budget,
//   compare runs (their large report.json files are parsed here) and the comparison's workbook,
//   run an appointment cycle's rounds (rounds-job.ts), and share out a dataset's posts (posts-job.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { stringify } from 'csv-stringify/sync';
import type { Lock, Policy } from '../solver/contract/schemas.ts';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { rotationBudget } from '../solver/policy/rules.ts';
import { type Dataset, type DatasetFile, loadDataset } from '../solver/contract/dataset.ts';
import type { InputError } from '../solver/contract/input-errors.ts';
import { planCsvText } from '../solver/report/plan-rows.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { stayReasonsOf } from '../solver/report/stay-reasons.ts';
import { auditSections, buildReport } from '../solver/report/report.ts';
import { withBestAchievable } from '../solver/report/best-achievable.ts';
import { type Comparison, type StoredComparedRun, compareRuns, parseComparedRun, summarizeRun } from './compare.ts';
import { type Names, buildComparisonWorkbook } from './compare-xlsx.ts';
import { type Lane, bestAchievableOnLanes, planOnLanes } from './lane-plans.ts';
import { parentLanes } from './lane-relay.ts';
import { lowerThreadPriority } from './thread-priority.ts';
import { parsePlanCsv } from './contract-files.ts';
import { type BoundsItem, boundsReportSchema } from './bounds.ts';
import { buildWorkbook, type WorkbookInput } from './xlsx-export.ts';
import type { AuditDocument } from './audit-document.ts';
import { auditPdf } from './audit-pdf.ts';
import { noticeWorkbook } from './notice-export.ts';
import type { NoticeTable } from '../solver/report/notice-lists.ts';
import type { PdfLang } from './audit-pdf-text.ts';
import { type FrontierJob, type FrontierMessage, solveFrontier } from './frontier-job.ts';
import { type RowLines, encodeRows } from './row-lines.ts';
import { type RoundsReply, type RoundsRequest, roundsTask } from './rounds-job.ts';
import { applicationsOf } from '../solver/cycle/cycle-files.ts';
import { applyHistory } from '../solver/cycle/history.ts';
import { type HistoryFields, historyFields } from '../solver/cycle/paper-rotation.ts';
import { type StoredFile, withoutTables } from './dataset-tables.ts';
import { type PostsAdoptReply, type PostsAdoptRequest, type PostsReply, type PostsRequest, postsAdoptTask, postsTask } from './posts-job.ts';

export type { StoredFile };


/** `baselinePlanCsv`: the plan.csv of the run this one re-plans against, or null. */
export interface SolveJob { mode: 'solve'; files: StoredFile[]; policy: Policy; locks: Lock[]; baselinePlanCsv: string | null }
export type SolvePhase = 'parsing' | 'building' | 'solving' | 'reporting';
export type SolveMessage =
  | { type: 'progress'; phase: SolvePhase; county: string | null; objective: number | null; gap: number | null }
  | { type: 'result'; status: 'optimal' | 'feasible' | 'infeasible'; message: string | null; planCsv: string; reportJson: string; summaryJson: string }
  | { type: 'error'; message: string };

/** `reportJson`: the finished run's report (its CV rows, and which counties have a plan). */
export interface BoundsJob { mode: 'bounds'; files: StoredFile[]; policy: Policy; locks: Lock[]; reportJson: string; planCsv: string }
export type BoundsMessage =
  | { type: 'progress'; done: number; total: number; county: string | null }
  | { type: 'bounds'; items: BoundsItem[] }
  | { type: 'error'; message: string };

/** Locks as a scenario edit sends them: loose on purpose, so locks.csv validation words the errors. */
export interface LockInput { teacher_id: string; action: string; to_school_id?: string | undefined; reason?: string | undefined }

export type Validated<T> = ({ ok: true } & T) | { ok: false; errors: InputError[] };
export interface Tasks {
  dataset: { req: { files: StoredFile[] }; res: Validated<{ schools: RowLines; teachers: RowLines; counties: string[]; policy: Policy; locks: Lock[] }> };
  locks: { req: { files: StoredFile[]; locks: LockInput[] }; res: Validated<{ locks: Lock[] }> };
  audit: { req: { files: StoredFile[]; policy: Policy; locks: Lock[]; plan: StoredFile }; res: Validated<{ result: ReturnType<typeof auditSections> } & Pick<HistoryFields, 'history_checks'>> };
  /** `planCsv`: the audited plan's bytes (a run's stored plan.csv, or the uploaded file). */
  xlsx: { req: Omit<WorkbookInput, 'rows'> & { planCsv: string | Uint8Array }; res: { ok: true; content: Uint8Array } };
  auditPdf: { req: { doc: AuditDocument; lang: PdfLang }; res: { ok: true; content: Uint8Array } };
  noticeXlsx: { req: { table: NoticeTable }; res: { ok: true; content: Uint8Array } };
  budget: { req: { files: StoredFile[]; policy: Policy; locks: Lock[] }; res: Validated<{ counties: CountyBudget[] }> };
  compare: { req: { runs: StoredComparedRun[] }; res: { ok: true; comparison: Comparison } };
  compareXlsx: { req: { runs: StoredComparedRun[]; names: Names }; res: { ok: true; content: Uint8Array } };
  /** One appointment cycle's rounds (rounds-job.ts); round 3 solves with HiGHS. */
  rounds: { req: RoundsRequest; res: RoundsReply };
  /** The posts of a dataset under a scenario's policy, and the files of a dataset with them as the needs (posts-job.ts). */
  posts: { req: PostsRequest; res: PostsReply };
  postsAdopt: { req: PostsAdoptRequest; res: PostsAdoptReply };
}
/** One county's rotation budget under a scenario's policy and locks (solver/policy/rules.ts rotationBudget). */
export interface CountyBudget { county: string; eligible: number; min_rotated: number; max_rotated: number; locked_moves: number }
export type TaskKind = keyof Tasks;
export type TaskRequest = { [K in TaskKind]: { id: number; kind: K; req: Tasks[K]['req'] } }[TaskKind];
export type TaskReply = { id: number; ok: true; res: Tasks[TaskKind]['res'] } | { id: number; ok: false; message: string };

/** A validated dataset's row buffers move to the request thread instead of being copied (row-lines.ts). */
const transferOf = (res: Tasks[TaskKind]['res']): ArrayBuffer[] =>
  res.ok && 'teachers' in res ? [res.schools.bytes.buffer as ArrayBuffer, res.teachers.bytes.buffer as ArrayBuffer] : [];

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function solve(job: SolveJob, post: (m: SolveMessage) => void, lane: Lane): Promise<void> {
  type Progress = Omit<Extract<SolveMessage, { type: 'progress' }>, 'type'>;
  const progress: Progress = { phase: 'parsing', county: null, objective: null, gap: null };
  const send = (p: Partial<Progress>) => { Object.assign(progress, p); post({ type: 'progress', ...progress }); };
  send({});
  const loaded = await loadDataset(job.files);
  // The files were validated when stored; failing now means the stored bytes changed.
  if (!loaded.ok) return post({ type: 'error', message: `数据集文件无法解析（${loaded.errors.length}处错误），可能已损坏` });
  // history.csv as `lungang plan` applies it: its stay locks and careers enter the plan, the returns the report.
  const { ds, returns } = applyHistory({ ...loaded.dataset, policy: job.policy, locks: job.locks });
  const baseline = job.baselinePlanCsv === null ? null : parsePlanCsv('plan.csv', job.baselinePlanCsv);
  if (baseline && !baseline.ok) return post({ type: 'error', message: '基准运行的方案无法解析，可能已损坏' });
  send({ phase: 'building' });
  // Each county is built and solved on the server's solve lanes (lanes.ts, shared by every run and
  // fair between users), asked for through the parent thread; the lanes report the solve's progress.
  const plans = await planOnLanes(ds, lane, baseline ? { baseline: baseline.rows } : {});
  // The lanes' progress was per county; what is being reported is the whole plan.
  const planned = plans.filter((p) => p.objective !== null);
  send({
    phase: 'reporting', county: null,
    objective: planned.length > 0 ? planned.reduce((a, p) => a + p.objective!, 0) : null,
    gap: planned.length > 0 ? Math.max(...planned.map((p) => p.gap ?? 0)) : null,
  });
  const rows = plans.flatMap((p) => p.rows);
  const report = { ...buildReport(ds, plans), stay_reasons: stayReasonsOf(ds, plans), ...historyFields(ds, rows, returns) };
  post({
    type: 'result',
    status: report.status,
    message: report.infeasibility.map((k) => k.message).join('；') || null,
    planCsv: planCsvText(rows),
    reportJson: `${JSON.stringify(report, null, 2)}\n`,
    summaryJson: JSON.stringify(summarizeRun(ds, plans, report)),
  });
}

async function bounds(job: BoundsJob, post: (m: BoundsMessage) => void, lane: Lane): Promise<void> {
  const loaded = await loadDataset(job.files);
  if (!loaded.ok) return post({ type: 'error', message: `数据集文件无法解析（${loaded.errors.length}处错误），可能已损坏` });
  // The run's own dataset: the history's stay locks bound what any plan could reach, as in the solve.
  const { ds } = applyHistory({ ...loaded.dataset, policy: job.policy, locks: job.locks });
  const report = boundsReportSchema.parse(JSON.parse(job.reportJson));
  const counties = report.solver.filter((s) => s.status !== 'infeasible').map((s) => s.county);
  const plan = parsePlanCsv('plan.csv', job.planCsv);
  // Every county × stage × indicator on the shared lanes: one county's pairs use every core.
  const found = await bestAchievableOnLanes(ds, lane, { counties, onProgress: (p) => post({ type: 'progress', ...p }), ...(plan.ok ? { plan: plan.rows } : {}) });
  post({ type: 'progress', done: found.length, total: found.length, county: null });
  const items = withBestAchievable(report, found).indicators.cv.map(({ max: _m, before: _b, after: _a, ...item }) => item);
  post({ type: 'bounds', items });
}

// ---------------------------------------------------------------------------------------------

const LOCK_COLUMNS = ['teacher_id', 'action', 'to_school_id', 'reason'] as const;

async function runTask(r: TaskRequest): Promise<Tasks[TaskKind]['res']> {
  switch (r.kind) {
    case 'dataset': {
      const loaded = await loadDataset(r.req.files);
      if (!loaded.ok) return loaded;
      const ds = loaded.dataset;
      // applications.csv is stored with the contract files, so it is checked with them, all-or-nothing.
      const apps = await applicationsOf(ds, r.req.files);
      if (!apps.ok) return apps;
      return { ok: true, schools: encodeRows(ds.schools), teachers: encodeRows(ds.teachers), counties: countiesOf(ds), policy: ds.policy, locks: ds.locks };
    }
    case 'locks': {
      // The contract's own locks.csv checks (teacher exists, reason given, legal move…) word the errors.
      // Internal round trip (not an export): written as is, so a reason reads back unchanged.
      const csv = stringify(r.req.locks.map((l) => ({ ...l })), { header: true, columns: [...LOCK_COLUMNS] });
      const files: DatasetFile[] = [...(await withoutTables(r.req.files, ['locks'])), { name: 'locks.csv', content: csv }];
      const loaded = await loadDataset(files);
      return loaded.ok ? { ok: true, locks: loaded.dataset.locks } : loaded;
    }
    case 'audit': {
      const loaded = await loadDataset(r.req.files);
      const plan = parsePlanCsv(r.req.plan.name, r.req.plan.content);
      const errors = [...(loaded.ok ? [] : loaded.errors), ...(plan.ok ? [] : plan.errors)];
      if (!loaded.ok || !plan.ok) return { ok: false, errors };
      const ds: Dataset = { ...loaded.dataset, policy: r.req.policy, locks: r.req.locks };
      // The history checks as `lungang audit` adds them: findings beside the rules, not part of audit_ok.
      return { ok: true, result: auditSections(ds, auditPlan(ds, plan.rows)), ...historyFields(ds, plan.rows) };
    }
    case 'xlsx': {
      const { planCsv, ...rest } = r.req;
      // Already parsed once: by the run that wrote it, or by the audit of the upload.
      const plan = parsePlanCsv('plan.csv', planCsv);
      if (!plan.ok) throw new Error('the audited plan.csv does not parse');
      return { ok: true, content: await buildWorkbook({ ...rest, rows: plan.rows }) };
    }
    case 'auditPdf':
      return { ok: true, content: await auditPdf(r.req.doc, r.req.lang) };
    case 'noticeXlsx':
      return { ok: true, content: await noticeWorkbook(r.req.table) };
    case 'compare':
      return { ok: true, comparison: compareRuns(r.req.runs.map(parseComparedRun)) };
    case 'compareXlsx':
      return { ok: true, content: await buildComparisonWorkbook(compareRuns(r.req.runs.map(parseComparedRun)), r.req.names) };
    case 'rounds':
      return roundsTask(r.req);
    case 'posts':
      return postsTask(r.req);
    case 'postsAdopt':
      return postsAdoptTask(r.req);
    case 'budget': {
      const loaded = await loadDataset(r.req.files);
      if (!loaded.ok) return loaded;
      const ds: Dataset = { ...loaded.dataset, policy: r.req.policy, locks: r.req.locks };
      return {
        ok: true,
        counties: countiesOf(ds).map((county) => {
          const b = rotationBudget(buildCountyContext(county, ds));
          return { county, eligible: b.eligible, min_rotated: b.min, max_rotated: b.max, locked_moves: b.lockedMoves };
        }),
      };
    }
  }
}

const port = parentPort;
if (port) {
  const input: { mode: 'solve' | 'frontier' | 'bounds' | 'tasks' } = workerData;
  if (input.mode !== 'tasks') {
    lowerThreadPriority();
    // Stay alive until the parent terminates this worker: exiting on our own could let the
    // 'exit' event overtake the result message still on its way to the parent.
    const post = (m: SolveMessage | FrontierMessage | BoundsMessage) => port.postMessage(m);
    // Listening on the port (for the lanes' answers) also keeps this worker alive until the parent
    // terminates it: exiting on our own could let 'exit' overtake the result still on its way.
    const lanes = parentLanes(port);
    const job = input.mode === 'solve' ? solve(workerData as SolveJob, post, lanes)
      : input.mode === 'frontier' ? solveFrontier(workerData as FrontierJob, post)
        : bounds(workerData as BoundsJob, post, lanes);
    job.catch((err: unknown) => post({ type: 'error', message: message(err) }));
  } else {
    // Validating a hostile or huge upload is batch work too: reads get the CPU first (issue 9).
    lowerThreadPriority();
    // One request at a time, in arrival order (task-pool.ts sends each worker one at a time anyway).
    let chain = Promise.resolve();
    port.on('message', (r: TaskRequest) => {
      chain = chain.then(async () => {
        try {
          const res = await runTask(r);
          port.postMessage({ id: r.id, ok: true, res } satisfies TaskReply, transferOf(res));
        } catch (err) {
          port.postMessage({ id: r.id, ok: false, message: message(err) } satisfies TaskReply);
        }
      });
    });
  }
}
