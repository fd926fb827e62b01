// What pages share: who is logged in, which dataset is open, and caches of the large reads
// (schools, teachers, run results), so moving between pages does not refetch 5,000 teachers.
import { api, type Dataset, type DatasetDetail, type Role, type Run, type RunResult, type School, type Teacher, type User } from './api.ts';

const DATASET_KEY = 'lungang.dataset';

export const store = {
  user: null as User | null,
  datasets: [] as Dataset[],
  datasetId: null as number | null,
  /** The county last picked on any page of a multi-county dataset ('' = all; null = never picked). */
  county: null as string | null,
};

const cache = {
  detail: new Map<number, Promise<DatasetDetail>>(),
  schools: new Map<number, Promise<School[]>>(),
  teachers: new Map<number, Promise<Teacher[]>>(),
  results: new Map<number, Promise<RunResult>>(),
};

/** A failed read is not cached: the next visit tries again. */
function once<K, V>(m: Map<K, Promise<V>>, k: K, load: () => Promise<V>): Promise<V> {
  let p = m.get(k);
  if (!p) {
    p = load();
    m.set(k, p);
    p.catch(() => m.delete(k));
  }
  return p;
}

export const datasetDetail = (id: number) => once(cache.detail, id, () => api.dataset(id));
export const schoolsOf = (id: number) => once(cache.schools, id, () => api.schools(id));
export const teachersOf = (id: number) => once(cache.teachers, id, () => api.teachers(id));
/** Results of finished runs never change (adopted ones are even hash-checked), so they cache for good. */
export const resultOf = (runId: number) => once(cache.results, runId, () => api.result(runId));

export async function refreshDatasets(): Promise<Dataset[]> {
  store.datasets = await api.datasets();
  const saved = Number(localStorage.getItem(DATASET_KEY));
  const keep = store.datasets.find((d) => d.id === (store.datasetId ?? saved));
  store.datasetId = keep?.id ?? store.datasets[0]?.id ?? null;
  return store.datasets;
}

export function selectDataset(id: number): void {
  if (store.datasetId !== id) store.county = null;
  store.datasetId = id;
  try { localStorage.setItem(DATASET_KEY, String(id)); } catch { /* not persisted in private mode */ }
}

export const currentDataset = (): Dataset | undefined => store.datasets.find((d) => d.id === store.datasetId);

/** Finished runs with a plan (done) of the open dataset, newest first. */
export async function finishedRuns(datasetId: number): Promise<Run[]> {
  return (await api.runs({ dataset_id: datasetId })).filter((r) => r.status === 'done' || r.status === 'infeasible');
}

/** The run a page shows: the one in the URL, else the newest finished run of the dataset. */
export async function pickRun(datasetId: number, fromUrl: string | null): Promise<{ runs: Run[]; run: Run | undefined }> {
  const runs = await finishedRuns(datasetId);
  const id = Number(fromUrl);
  return { runs, run: runs.find((r) => r.id === id) ?? runs.find((r) => r.status === 'done') ?? runs[0] };
}

const ACCESS: Record<'edit' | 'notes' | 'compare' | 'audit' | 'adopt' | 'admin', readonly Role[]> = {
  edit: ['admin', 'planner'],
  notes: ['admin', 'planner', 'leader'],
  compare: ['admin', 'leader'],
  audit: ['admin', 'auditor'],
  adopt: ['admin', 'leader'],
  admin: ['admin'],
};
/** Mirrors server/auth.ts ACCESS, only to hide buttons; the server still decides. */
export const can = (what: keyof typeof ACCESS): boolean => store.user !== null && ACCESS[what].includes(store.user.role);

export function schoolIndex(schools: readonly School[]): Map<string, School> {
  return new Map(schools.map((s) => [s.id, s]));
}
