// Production mode's solve queue (README "Production mode"): pg-boss on the PostgreSQL database
// holds one job per queued run or frontier. The server only enqueues (QueuedSolves); any number
// of `lungang worker` processes, on any machines, take jobs and solve them with the same
// SolvePool the embedded mode uses (jobs.ts, external), writing progress and results to the rows.
//
// Never lost: a job is active with one worker at a time. A worker that dies (killed, machine
// lost) leaves its job active until it expires (LUNGANG_JOB_EXPIRE_SECONDS, longer than any hard
// time limit); pg-boss then hands it to another worker, which starts the solve over. After
// LUNGANG_JOB_RETRIES such retries the job goes to the dead-letter queue and its run is marked
// failed with the reason.
import { availableParallelism } from 'node:os';
import PgBoss from 'pg-boss';
import { type Db, isPostgresUrl, logActivity, now, openDb } from './db.ts';
import { frontierQueue } from './frontier-queue.ts';
import type { Logger } from './logger.ts';
import { runQueue } from './run-queue.ts';
import { SolvePool } from './solve-pool.ts';

const QUEUE = 'lungang-solve';
const DEAD_LETTERS = 'lungang-solve-dead';
/** The tables of the job kinds (jobs.ts JobQueue.table). */
const TABLES: Record<string, string> = { run: 'runs', frontier: 'frontiers' };
/** What a job started over forgets of its lost attempt (a frontier's points are planned again). */
const START_OVER: Record<string, string> = { run: '', frontier: ", points_json = '[]'" };

interface SolveJob { kind: string; id: number }

export const INTERRUPTED_MESSAGE = '求解进程多次中断，运行失败';

export interface QueueSettings {
  /** Times a job whose worker died is started over before it is marked failed. */
  retries: number;
  /** Seconds a job may stay with one worker before it counts as lost: above every hard time limit. */
  expireSeconds: number;
  /** How often lost jobs are looked for. */
  checkSeconds: number;
}

export const queueSettings = (env = process.env): QueueSettings => ({
  retries: Number(env.LUNGANG_JOB_RETRIES ?? 2),
  expireSeconds: Number(env.LUNGANG_JOB_EXPIRE_SECONDS ?? 6 * 3600),
  checkSeconds: Number(env.LUNGANG_QUEUE_CHECK_SECONDS ?? 60),
});

async function startBoss(url: string, s: QueueSettings, log: Logger): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', maintenanceIntervalSeconds: s.checkSeconds, max: 4 });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  const options = { name: QUEUE, retryLimit: s.retries, retryDelay: 0, expireInSeconds: s.expireSeconds, deadLetter: DEAD_LETTERS };
  await boss.createQueue(DEAD_LETTERS);
  // Created once; the settings of this start apply from now on.
  await boss.createQueue(QUEUE, options);
  await boss.updateQueue(QUEUE, options);
  return boss;
}

/** A job's id (a UUID) from its row: sending a queued row twice (a restart, two pumps) adds no second job. */
const jobId = (kind: string, id: number): string => `00000000-0000-4000-800${Object.keys(TABLES).indexOf(kind)}-${String(id).padStart(12, '0')}`;

/** The server's side: what the routes ask of a solve pool, with the solving left to the workers. */
export class QueuedSolves {
  private constructor(private readonly db: Db, private readonly boss: PgBoss, private readonly log: Logger) {}

  static async open(db: Db, url: string, log: Logger): Promise<QueuedSolves> {
    return new QueuedSolves(db, await startBoss(url, queueSettings(), log), log);
  }

  /** Sends every queued row not sent yet (also those a crash left between their insert and their send). */
  pump(): void {
    void (async () => {
      for (const [kind, table] of Object.entries(TABLES)) {
        for (const { id } of await this.db.all<{ id: number }>(`SELECT id FROM ${table} WHERE status = 'queued' ORDER BY id`)) {
          await this.boss.send(QUEUE, { kind, id } satisfies SolveJob, { id: jobId(kind, id) });
        }
      }
    })().catch((err: unknown) => this.log.error({ err }, 'sending queued jobs failed'));
  }

  /** Marks a queued or running job cancelled; the worker solving it sees that and stops (Worker.watchCancels). */
  async cancel(kind: string, id: number): Promise<boolean> {
    return await this.db.run(`UPDATE ${TABLES[kind]} SET status = 'cancelled', message = '已取消', finished_at = ? WHERE id = ? AND status IN ('queued', 'running')`,
      now(), id) > 0;
  }

  /** Solves running in this process: none, the workers solve. */
  readonly running = 0;

  /** A deleted run's best-achievable job ends on its worker by itself: its row is gone, so nothing is stored. */
  dropBounds(_runId: number): void {}

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true });
  }
}

/** Marks a job failed once its retries are spent (its worker died each time). */
async function failLost(db: Db, job: SolveJob): Promise<void> {
  const failed = await db.run(`UPDATE ${TABLES[job.kind]} SET status = 'failed', message = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')`,
    INTERRUPTED_MESSAGE, now(), job.id);
  if (failed > 0) await logActivity(db, { userId: null, action: `${job.kind}.fail`, entity: job.kind, entityId: job.id, details: { reason: 'workers_lost' } });
}

/** JSON lines on stdout: ids and statuses only, like the server's log. */
const jsonLog = (level: string) => (obj: object, msg?: string) => {
  const o = obj as { err?: unknown };
  const err = o.err instanceof Error ? o.err.message : o.err;
  process.stdout.write(`${JSON.stringify({ level, time: now(), ...obj, ...(err !== undefined ? { err } : {}), msg })}\n`);
};

/**
 * `lungang worker`: takes solve jobs from the queue until stopped. LUNGANG_DATABASE_URL (the
 * server's), LUNGANG_WORKER_SLOTS (solves at once; default the cores).
 */
export async function work(): Promise<void> {
  const url = process.env.LUNGANG_DATABASE_URL ?? '';
  if (!isPostgresUrl(url)) throw new Error('LUNGANG_DATABASE_URL must be the postgres:// URL of the server’s database');
  const log: Logger = { info: jsonLog('info'), error: jsonLog('error') };
  const slots = Number(process.env.LUNGANG_WORKER_SLOTS ?? availableParallelism());
  const db = await openDb(url);
  const pool = new SolvePool(db, {
    poolSize: slots, log, queues: [runQueue(db), frontierQueue(db)], external: true, bounds: process.env.LUNGANG_BEST_ACHIEVABLE !== '0',
  });
  const boss = await startBoss(url, queueSettings(), log);

  const solve = async ({ kind, id }: SolveJob) => {
    // pg-boss gives a job to one worker at a time: a row still 'running' was its last worker's, which died.
    if (await db.run(`UPDATE ${TABLES[kind]} SET status = 'queued'${START_OVER[kind]} WHERE id = ? AND status = 'running'`, id) > 0) {
      await logActivity(db, { userId: null, action: `${kind}.retry`, entity: kind, entityId: id });
      log.info({ [kind]: id }, `${kind} started over after its worker was lost`);
    }
    await pool.runJob(kind, id);
  };
  for (let i = 0; i < slots; i++) await boss.work<SolveJob>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => solve(job!.data));
  await boss.work<SolveJob>(DEAD_LETTERS, { pollingIntervalSeconds: 5 }, async (jobs) => { for (const j of jobs) await failLost(db, j.data); });

  // A job cancelled on the server (its row no longer 'running') stops here within seconds.
  const watch = setInterval(() => {
    void (async () => {
      for (const { kind, id } of pool.activeJobs()) {
        const row = await db.get<{ status: string }>(`SELECT status FROM ${TABLES[kind]} WHERE id = ?`, id);
        if (row?.status !== 'running') await pool.cancel(kind, id);
      }
    })().catch((err: unknown) => log.error({ err }, 'checking for cancelled jobs failed'));
  }, 2000);

  log.info({ slots }, 'worker started');
  // Stopping: the jobs solving here are left active and come back to a worker when they expire,
  // as after a crash; nothing is marked failed.
  const stop = (signal: string) => {
    log.info({ signal }, 'worker stopping');
    clearInterval(watch);
    setTimeout(() => process.exit(0), 10_000).unref();
    boss.stop({ graceful: false, wait: true }).finally(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
