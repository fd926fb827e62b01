// The best achievable 差异系数 of a finished run (issue 8): a background job after each run with a
// plan (bounds-jobs.ts starts it, run-job.ts computes it) stores, per county × stage × indicator, the
// lowest CV any plan keeping every rule could reach and this plan's share of that reduction. The
// run's own outputs and result hash never change: the fields are added to the result, the run
// view and the workbook when they are ready.
import { z } from 'zod';
import { STAGES } from '../solver/contract/schemas.ts';
import { type Db, now } from './db.ts';

/** Solves one best-achievable job may need per county: 6 stage × indicator pairs, up to 4 solves each. */
export const BOUNDS_SOLVES_PER_COUNTY = 24;

export const BOUNDS_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

export const boundsItemSchema = z.object({
  county: z.string(),
  stage: z.enum(STAGES),
  indicator: z.string(),
  /** Lowest CV of a plan keeping every rule (a real plan's CV). */
  best_achievable: z.number().nullable(),
  /** Proven lower bound on every such plan's CV (= best_achievable when proven). */
  best_achievable_bound: z.number().nullable(),
  best_achievable_proven: z.boolean(),
  /** (CV before − CV of this plan) ÷ (CV before − best achievable); null when rotation cannot lower it. */
  share_of_achievable: z.number().nullable(),
  threshold_reachable: z.boolean().nullable(),
  /** 仅靠交流无法降到0.50：最低可达0.67, when the threshold is out of reach. */
  best_achievable_note: z.string().nullable(),
});
export type BoundsItem = z.infer<typeof boundsItemSchema>;

export const boundsProgressSchema = z.object({ done: z.number().int(), total: z.number().int(), county: z.string().nullable() });

export const boundsViewSchema = z.object({
  status: z.enum(BOUNDS_STATUSES),
  /** Stage × indicator pairs solved so far, of all. */
  progress: boundsProgressSchema.nullable(),
  message: z.string().nullable(),
  /** One per county × stage × indicator of the report, once done; empty before. */
  cv: z.array(boundsItemSchema),
});
export type BoundsView = z.infer<typeof boundsViewSchema>;

/** What the job reads from the stored report: which counties have a plan, and the CV rows. */
export const boundsReportSchema = z.object({
  audit_ok: z.boolean(),
  solver: z.array(z.object({ county: z.string(), status: z.string() })),
  indicators: z.object({
    cv: z.array(z.object({
      county: z.string(), stage: z.enum(STAGES), indicator: z.string(), max: z.number(),
      before: z.object({ cv: z.number().nullable() }), after: z.object({ cv: z.number().nullable() }),
    })),
  }),
});

interface BoundsRow {
  status: BoundsView['status'];
  progress_json: string | null;
  bounds_json: string | null;
  message: string | null;
}

export async function queueBounds(db: Db, runId: number): Promise<void> {
  // A run's earlier job, if any, is replaced whole.
  await db.run(`INSERT INTO run_bounds (run_id, status, created_at) VALUES (?, 'queued', ?) ON CONFLICT (run_id) DO UPDATE SET
    status = excluded.status, created_at = excluded.created_at, progress_json = NULL, bounds_json = NULL, message = NULL, started_at = NULL, finished_at = NULL,
    lease = NULL, heartbeat_at = NULL, attempts = 0`,
  runId, now());
}

/** The run's best-achievable job as the API shows it; null when the run has none (no plan, or not asked). */
export async function boundsView(db: Db, runId: number): Promise<BoundsView | null> {
  const r = await db.get<BoundsRow>('SELECT status, progress_json, bounds_json, message FROM run_bounds WHERE run_id = ?', runId);
  if (!r) return null;
  return {
    status: r.status,
    progress: r.progress_json === null ? null : boundsProgressSchema.parse(JSON.parse(r.progress_json)),
    message: r.message,
    cv: r.bounds_json === null ? [] : z.array(boundsItemSchema).parse(JSON.parse(r.bounds_json)),
  };
}

/** A stored report (parsed JSON) with each CV row's best-achievable fields, when the job is done. */
export function reportWithBounds(report: Record<string, unknown>, bounds: BoundsView | null): Record<string, unknown> {
  if (!bounds || bounds.status !== 'done') return report;
  const indicators = report.indicators as { cv: { county: string; stage: string; indicator: string }[] };
  const cv = indicators.cv.map((row) => {
    const b = bounds.cv.find((x) => x.county === row.county && x.stage === row.stage && x.indicator === row.indicator);
    if (!b) return row;
    const { county: _c, stage: _s, indicator: _i, ...fields } = b;
    return { ...row, ...fields };
  });
  return { ...report, indicators: { ...indicators, cv } };
}
