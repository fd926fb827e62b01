// A frontier job inside its worker thread (started through run-worker.mjs like a run): parse the
// dataset's stored files, apply the scenario's snapshot, plan every point (solver/frontier.ts)
// and post each point's rows as soon as it is planned, so the API shows the frontier growing and
// a cancelled frontier keeps the points it has.
import type { Lock, Policy } from '../solver/contract/schemas.ts';
import { type Dataset, loadDataset } from '../solver/contract/dataset.ts';
import { type FrontierPointRow, type PointBest, planFrontier } from '../solver/frontier.ts';
import { highsEngine } from './engine.ts';
import type { StoredFile } from './run-job.ts';

export interface FrontierJob { mode: 'frontier'; files: StoredFile[]; policy: Policy; locks: Lock[]; shares: number[]; bounds: boolean }

/**
 * Where a frontier is: planning (phase 'plans') or, after every point, the best achievable CVs
 * (phase 'bounds', `done` of `total` stage × indicator pairs of the point); which point (0-based)
 * at which share, which county, the engine's best so far.
 */
export interface FrontierProgress {
  phase: 'plans' | 'bounds'; point: number; points: number; share: number | null; county: string | null; objective: number | null; gap: number | null;
  done?: number; total?: number;
}

export type FrontierMessage =
  | ({ type: 'progress' } & FrontierProgress)
  | { type: 'point'; index: number; share: number; rows: FrontierPointRow[] }
  | { type: 'best'; index: number; items: PointBest[] }
  | { type: 'result' }
  | { type: 'error'; message: string };

export async function solveFrontier(job: FrontierJob, post: (m: FrontierMessage) => void): Promise<void> {
  const progress: FrontierProgress = { phase: 'plans', point: 0, points: job.shares.length, share: null, county: null, objective: null, gap: null };
  const send = (p: Partial<FrontierProgress>) => { Object.assign(progress, p); post({ type: 'progress', ...progress }); };
  send({});
  const loaded = await loadDataset(job.files);
  // The files were validated when stored; failing now means the stored bytes changed.
  if (!loaded.ok) return post({ type: 'error', message: `数据集文件无法解析（${loaded.errors.length}处错误），可能已损坏` });
  const ds: Dataset = { ...loaded.dataset, policy: job.policy, locks: job.locks };
  const engine = highsEngine((p) => send({ objective: p.objective, gap: p.gap }));
  await planFrontier(ds, engine, job.shares, {
    onSolve: (point, share, county) => send({ point, share, county, objective: null, gap: null }),
    onPoint: ({ share, rows }, index) => post({ type: 'point', index, share, rows }),
    bounds: job.bounds,
    onBoundsProgress: (point, share, p) => send({ phase: 'bounds', point, share, county: p.county, done: p.done, total: p.total, objective: null, gap: null }),
    onBest: ({ best }, index) => post({ type: 'best', index, items: best ?? [] }),
  });
  post({ type: 'result' });
}
