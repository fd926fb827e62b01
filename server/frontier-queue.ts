// Frontiers as a queue of the solve pool (solve-pool.ts): the `frontiers` table is the queue, the job
// runs in its own worker (frontier-job.ts), and every point is stored the moment it is planned,
// so progress is per point and a cancelled or failed frontier keeps the points it reached.
import { z } from 'zod';
import { lockSchema, policySchema } from '../solver/contract/schemas.ts';
import { CV_COLUMNS } from '../solver/frontier.ts';
import { type Db, getFrontier, now } from './db.ts';
import type { FrontierMessage } from './frontier-job.ts';
import { type JobQueue, datasetInput, defaultHardLimitSeconds, markRunning } from './job-queue.ts';
import { BOUNDS_SOLVES_PER_COUNTY, boundsItemSchema } from './bounds.ts';

/** What a frontier solves: the scenario's policy and locks when it started, and the shares (ascending). */
/** `bounds`: also the best achievable CVs at every point (frontiers stored before it existed: false). */
export const frontierInputsSchema = z.object({ policy: policySchema, locks: z.array(lockSchema), shares: z.array(z.number()), bounds: z.boolean().default(false) });

export const frontierProgressSchema = z.object({
  /** 'plans': planning every point; 'bounds': then the best achievable CVs, point by point. */
  phase: z.enum(['plans', 'bounds']).default('plans'),
  /** The point being planned (0-based) of `points`. */
  point: z.number().int(), points: z.number().int(), share: z.number().nullable(), county: z.string().nullable(),
  objective: z.number().nullable(), gap: z.number().nullable(),
  /** Phase 'bounds': stage × indicator pairs of the point done, of all. */
  done: z.number().int().optional(), total: z.number().int().optional(),
});

const n = z.number().nullable();
const int = z.number().int().nullable();
/** One county at one point: frontier.csv's columns (README "The trade-off frontier") and what the page adds. */
export const frontierRowSchema = z.object({
  county: z.string(), share: z.number(), rotated: int, backbone_rotated: int,
  ...(Object.fromEntries(CV_COLUMNS.map((c) => [c, n])) as Record<(typeof CV_COLUMNS)[number], typeof n>),
  indicators_meeting_threshold: int, needs_unfilled: int, toward_rural_or_weak: int, commute_km_total: n, objective: n,
  status: z.enum(['optimal', 'feasible', 'infeasible']), gap: n,
  eligible: z.number().int(), max_rotated: z.number().int(), needs_unfilled_before: z.number().int(), changed_from_previous: int, audit_ok: z.boolean().nullable(),
});
/** One county × stage × indicator at a point: the plan's CV against the best achievable there (solver/frontier.ts PointBest). */
export const pointBestSchema = boundsItemSchema.extend({ cv_before: z.number(), cv_plan: n });
export const frontierPointSchema = z.object({
  index: z.number().int(), share: z.number(), counties: z.array(frontierRowSchema),
  /** The best achievable CVs at this point, once computed (frontiers with `bounds`). */
  best: z.array(pointBestSchema).optional(),
});
export type FrontierPointView = z.infer<typeof frontierPointSchema>;

export const storedPoints = (json: string): FrontierPointView[] => z.array(frontierPointSchema).parse(JSON.parse(json));

export function frontierQueue(db: Db, hardLimitSeconds = defaultHardLimitSeconds): JobQueue {
  return {
    kind: 'frontier',
    table: 'frontiers',
    async claim(id, lease) {
      const f = (await getFrontier(db, id))!;
      const inputs = frontierInputsSchema.parse(JSON.parse(f.inputs_json));
      const progress = { phase: 'plans', point: 0, points: inputs.shares.length, share: null, county: null, objective: null, gap: null };
      if (!await markRunning(db, 'frontiers', id, lease, progress)) return null;
      const { files, counties } = await datasetInput(db, f.dataset_id);
      const solvesPerPoint = 1 + (inputs.bounds ? BOUNDS_SOLVES_PER_COUNTY : 0);
      return {
        workerData: { mode: 'frontier', files, policy: inputs.policy, locks: inputs.locks, shares: inputs.shares, bounds: inputs.bounds },
        // Every point is a full solve of every county, and with bounds the best-achievable solves too.
        limitSeconds: hardLimitSeconds(inputs.policy.solver.timeLimitSeconds * inputs.shares.length * solvesPerPoint, counties),
      };
    },
    async receive(id, message, job) {
      const m = message as FrontierMessage;
      if (m.type === 'progress') {
        const { type: _type, ...progress } = m;
        // A new point (or county) is written at once; the engine's incumbents at most once a second.
        job.progress(`${m.phase}|${m.point}|${m.county}|${m.done ?? ''}`, JSON.stringify(frontierProgressSchema.parse(progress)));
      } else if (m.type === 'point') {
        const point = frontierPointSchema.parse({ index: m.index, share: m.share, counties: m.rows });
        await db.transaction(async (tx) => {
          const f = await getFrontier(tx, id);
          if (f?.status !== 'running' || f.lease !== job.lease) return;
          await tx.run('UPDATE frontiers SET points_json = ? WHERE id = ?', JSON.stringify([...storedPoints(f.points_json), point]), id);
        });
      } else if (m.type === 'best') {
        const best = z.array(pointBestSchema).parse(m.items);
        await db.transaction(async (tx) => {
          const f = await getFrontier(tx, id);
          if (f?.status !== 'running' || f.lease !== job.lease) return;
          const points = storedPoints(f.points_json).map((p) => (p.index === m.index ? { ...p, best } : p));
          await tx.run('UPDATE frontiers SET points_json = ? WHERE id = ?', JSON.stringify(points), id);
        });
      } else if (m.type === 'error') await job.end('failed', { message: `求解失败：${m.message}` });
      else {
        const none = storedPoints((await getFrontier(db, id))?.points_json ?? '[]').filter((p) => p.counties.some((c) => c.status === 'infeasible')).length;
        await job.end('done', { message: none > 0 ? `${none}个交流比例下无可行方案` : null });
      }
    },
    async store(id, lease, status, end) {
      return await db.run("UPDATE frontiers SET status = ?, message = ?, finished_at = ? WHERE id = ? AND status = 'running' AND lease = ?",
        status, end.message, now(), id, lease) > 0;
    },
  };
}
