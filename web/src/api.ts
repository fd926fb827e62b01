// Every HTTP call of the web app, in one place (server/routes/*.ts is the other side). Types
// come from the server's and solver's own schemas, imported as types only, so a change in a
// response shape breaks `tsc` here instead of a page at run time; nothing of the server is
// bundled.
import type { z } from 'zod';
import type { PlanRow, School, Teacher } from '../../solver/contract/schemas.ts';
import type { Report } from '../../solver/report/report.ts';
import type { AuditDocument, AuditTrace } from '../../server/audit-document.ts';
import type { Comparison, TeacherDiff } from '../../server/compare.ts';
import type { datasetSchema } from '../../server/routes/datasets.ts';
import type { inputErrorSchema } from '../../server/routes/http.ts';
import type { runDetailSchema, runSchema } from '../../server/routes/runs.ts';
import type { budgetSchema, scenarioSchema } from '../../server/routes/scenarios.ts';
import type { FrontierView } from '../../server/routes/frontiers.ts';
import type { RoundsView } from '../../server/routes/rounds.ts';
import type { HistoryFields } from '../../solver/cycle/paper-rotation.ts';
import type { postsSchema } from '../../server/routes/posts.ts';
import type { sessionUserSchema } from '../../server/routes/session.ts';
import type { UserView } from '../../server/routes/users.ts';

export type { AuditDocument, AuditTrace, HistoryFields, PlanRow, Report, School, Teacher, Comparison, TeacherDiff, UserView, RoundsView };
export type User = z.infer<typeof sessionUserSchema>;
export type Role = User['role'];
export type Dataset = z.infer<typeof datasetSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioItem = Omit<Scenario, 'policy' | 'locks'> & { locks: number };
export type Policy = Scenario['policy'];
export type Lock = Scenario['locks'][number];
export type Budget = z.infer<typeof budgetSchema>;
/** A scenario's 编制 and 岗位 per school × stage × subject, with the county totals. */
export type Posts = z.infer<typeof postsSchema>;
export type DatasetDetail = Dataset & { policy: Policy; locks: Lock[] };
export type Run = z.infer<typeof runSchema>;
export type RunDetail = z.infer<typeof runDetailSchema>;
export type InputError = z.infer<typeof inputErrorSchema>;
export type Frontier = FrontierView;
export type FrontierPoint = Frontier['points'][number];
/** One county × stage × indicator at a point: the plan's CV against the best achievable there. */
export type FrontierBest = NonNullable<FrontierPoint['best']>[number];
export type FrontierCountyRow = FrontierPoint['counties'][number];
/** `report`: report.json as the run wrote it; the history fields only when the dataset has a history.csv. */
export interface RunResult { run_id: number; plan: PlanRow[]; report: Report & HistoryFields }
/** The audit of an uploaded plan: the audit document, traced to the uploaded bytes. */
export type AuditResult = AuditDocument & { dataset_id: number; scenario_id: number | null; plan_rows: number };
export interface TeacherDiffResult { a: number; b: number; same: number; rows: (TeacherDiff & { name: string })[] }
export interface Page<T> { total: number; page: number; page_size: number; items: T[] }
/** Locks as the form sends them: loose, so the server words the errors (locks.csv:line: column: …). */
export interface LockInput { teacher_id: string; action: string; to_school_id?: string; reason?: string }

/** An error answer: `error` in Chinese, and for bad files every `file:line: column: message`. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly errors: InputError[] = []) {
    super(message);
  }
}

let onUnauthorized: () => void = () => {};
/** Called on 401 (session expired or not logged in): the shell shows the login page. */
export const setUnauthorizedHandler = (f: () => void): void => { onUnauthorized = f; };

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(`/api${path}`, init);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* a proxy's HTML error page: reported below */ }
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') onUnauthorized();
    const e = (data ?? {}) as { error?: string; message?: string; errors?: InputError[] };
    throw new ApiError(res.status, e.error ?? e.message ?? `HTTP ${res.status}`, e.errors ?? []);
  }
  return data as T;
}

const qs = (q: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** All pages of a paged listing (the server caps a page at 200 rows), four requests at a time. */
async function allPages<T>(path: string, q: Record<string, string | number | undefined> = {}): Promise<T[]> {
  const size = 200;
  const first = await request<Page<T>>('GET', `${path}${qs({ ...q, page: 1, page_size: size })}`);
  const pages = Math.ceil(first.total / size);
  const rest: T[][] = new Array(Math.max(0, pages - 1));
  let next = 2;
  const worker = async () => {
    while (next <= pages) {
      const p = next++;
      rest[p - 2] = (await request<Page<T>>('GET', `${path}${qs({ ...q, page: p, page_size: size })}`)).items;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return [...first.items, ...rest.flat()];
}

export const api = {
  // Session
  me: () => request<{ user: User }>('GET', '/session').then((r) => r.user),
  login: (username: string, password: string) => request<{ user: User }>('POST', '/session', { username, password }).then((r) => r.user),
  logout: () => request<void>('DELETE', '/session'),
  changePassword: (current_password: string, new_password: string) => request<void>('PUT', '/session/password', { current_password, new_password }),

  // Users (admin)
  users: () => request<{ items: UserView[] }>('GET', '/users').then((r) => r.items),
  unlockUser: (id: number) => request<UserView>('PATCH', `/users/${id}`, { locked: false }),

  // Datasets
  datasets: () => request<{ items: Dataset[] }>('GET', '/datasets').then((r) => r.items),
  dataset: (id: number) => request<DatasetDetail>('GET', `/datasets/${id}`),
  uploadDataset: (files: File[], name: string) => {
    const form = new FormData();
    if (name) form.append('name', name);
    for (const f of files) form.append('files', f, f.name);
    return request<Dataset & { ignored_files: string[] }>('POST', '/datasets', form);
  },
  schools: (datasetId: number) => allPages<School>(`/datasets/${datasetId}/schools`),
  teachers: (datasetId: number) => allPages<Teacher>(`/datasets/${datasetId}/teachers`),

  // Scenarios
  scenarios: (datasetId: number) => request<{ items: ScenarioItem[] }>('GET', `/scenarios${qs({ dataset_id: datasetId })}`).then((r) => r.items),
  scenario: (id: number) => request<Scenario>('GET', `/scenarios/${id}`),
  createScenario: (b: { dataset_id: number; name: string; notes?: string; policy?: unknown; locks?: LockInput[] }) => request<Scenario>('POST', '/scenarios', b),
  updateScenario: (id: number, b: { name?: string; notes?: string; policy?: unknown; locks?: LockInput[]; use_baseline?: boolean }) => request<Scenario>('PATCH', `/scenarios/${id}`, b),
  budget: (id: number) => request<Budget>('GET', `/scenarios/${id}/budget`),
  copyScenario: (id: number, name?: string) => request<Scenario>('POST', `/scenarios/${id}/copy`, name ? { name } : {}),
  scenarioNotes: (id: number, notes: string) => request<Scenario>('PUT', `/scenarios/${id}/notes`, { notes }),

  // Runs
  runs: (q: { dataset_id?: number; scenario_id?: number; status?: string } = {}) => request<{ items: Run[] }>('GET', `/runs${qs(q)}`).then((r) => r.items),
  run: (id: number) => request<RunDetail>('GET', `/runs/${id}`),
  startRun: (scenarioId: number) => request<RunDetail>('POST', '/runs', { scenario_id: scenarioId }),
  cancelRun: (id: number) => request<RunDetail>('POST', `/runs/${id}/cancel`),
  result: (id: number) => request<RunResult>('GET', `/runs/${id}/result`),
  adopt: (id: number, note?: string) => request<RunDetail>('POST', `/runs/${id}/adopt`, note ? { note } : {}),

  // Frontiers
  frontiers: (scenarioId: number) => request<{ items: Frontier[] }>('GET', `/frontiers${qs({ scenario_id: scenarioId })}`).then((r) => r.items),
  frontier: (id: number) => request<Frontier>('GET', `/frontiers/${id}`),
  startFrontier: (scenarioId: number, shares: number[] | undefined, bounds: boolean) => request<Frontier>('POST', `/scenarios/${scenarioId}/frontier`, { ...(shares ? { shares } : {}), bounds }),
  cancelFrontier: (id: number) => request<Frontier>('POST', `/frontiers/${id}/cancel`),
  savePoint: (id: number, index: number) => request<Scenario>('POST', `/frontiers/${id}/points/${index}/scenario`, {}),

  // The rounds of an appointment cycle (404: none run yet)
  rounds: (scenarioId: number) => request<RoundsView>('GET', `/scenarios/${scenarioId}/rounds`),
  runRounds: (scenarioId: number, stopAfter: 1 | 2 | 3, goOn = false) => request<RoundsView>('POST', `/scenarios/${scenarioId}/rounds`, { stop_after: stopAfter, go_on: goOn }),
  roundsFromEdited: (scenarioId: number, file: File, stopAfter: 1 | 2 | 3) => {
    const form = new FormData();
    form.append('stop_after', String(stopAfter));
    form.append('rounds', file, file.name);
    return request<RoundsView>('POST', `/scenarios/${scenarioId}/rounds/edited`, form);
  },

  // 编制 and 岗位 (422: the small-school floors exceed a county's total)
  posts: (scenarioId: number) => request<Posts>('GET', `/scenarios/${scenarioId}/posts`),
  /** A new dataset with the posts as its needs (the computed ones, or an edited posts.csv) and the scenario copied onto it. */
  postsAsNeeds: (scenarioId: number, edited?: File) => {
    const form = new FormData();
    if (edited) form.append('posts', edited, edited.name);
    return request<{ dataset: Dataset; scenario: Scenario }>('POST', `/scenarios/${scenarioId}/posts/as-needs`, form);
  },

  // Comparisons and audits
  compare: (runIds: number[]) => request<Comparison>('GET', `/comparisons${qs({ runs: runIds.join(',') })}`),
  teacherDiff: (a: number, b: number) => request<TeacherDiffResult>('GET', `/comparisons/teachers${qs({ a, b })}`),
  audit: (datasetId: number, plan: File, scenarioId?: number) => request<AuditResult>('POST', '/audits', auditForm(datasetId, plan, scenarioId)),
  runAudit: (runId: number) => request<AuditDocument>('GET', `/runs/${runId}/audit`),
  /** A hand-made plan's audit as a file: the same upload, answered as the XLSX workbook or the PDF. */
  auditFile: async (datasetId: number, plan: File, scenarioId: number | undefined, format: 'xlsx' | 'pdf', lang: 'zh' | 'en'): Promise<Blob> => {
    const form = auditForm(datasetId, plan, scenarioId);
    form.append('format', format);
    form.append('lang', lang);
    const res = await fetch('/api/audits', { method: 'POST', credentials: 'same-origin', body: form });
    if (!res.ok) throw new ApiError(res.status, `HTTP ${res.status}`);
    return res.blob();
  },
};

function auditForm(datasetId: number, plan: File, scenarioId?: number): FormData {
  const form = new FormData();
  form.append('dataset_id', String(datasetId));
  if (scenarioId !== undefined) form.append('scenario_id', String(scenarioId));
  form.append('plan', plan, plan.name);
  return form;
}

/** Download links (the browser fetches them with the session cookie). */
export const downloads = {
  workbook: (runId: number, lang: 'zh' | 'en' = 'zh') => `/api/runs/${runId}/workbook.xlsx${lang === 'en' ? '?lang=en' : ''}`,
  auditPdf: (runId: number, lang: 'zh' | 'en' = 'zh') => `/api/runs/${runId}/audit.pdf?lang=${lang}`,
  /** A 公示 list of the run: the plan or the eligible teachers, as a printable page or XLSX. */
  notice: (runId: number, list: 'plan' | 'eligible', format: 'html' | 'xlsx', lang: 'zh' | 'en' = 'zh') => `/api/runs/${runId}/notice.${format}?list=${list}&lang=${lang}`,
  planCsv: (runId: number) => `/api/runs/${runId}/plan.csv`,
  roundsCsv: (scenarioId: number) => `/api/scenarios/${scenarioId}/rounds.csv`,
  postsCsv: (scenarioId: number) => `/api/scenarios/${scenarioId}/posts.csv`,
  roundsPlanCsv: (scenarioId: number) => `/api/scenarios/${scenarioId}/rounds/plan.csv`,
  reportJson: (runId: number) => `/api/runs/${runId}/report.json`,
  comparison: (runIds: readonly number[]) => `/api/comparisons.xlsx?runs=${runIds.join(',')}`,
};
