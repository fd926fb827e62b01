// Production mode's solve queue (README "Production mode"): pg-boss on the PostgreSQL database
// holds one job per queued run or frontier. The server only enqueues (QueuedSolves); any number
// of `lungang worker` processes, on any machines, take jobs and solve them with the same
// SolvePool the embedded mode uses (solve-pool.ts, external), writing progress and results to the rows.
//
// Never lost: a job is active with one worker at a time, whose heartbeat on the job's row shows it
// is alive (heartbeat.ts). A worker that dies (killed, machine lost) stops beating; once that is
// LUNGANG_WORKER_LOST_SECONDS old another worker takes the row back and fails the job in pg-boss,
// whose retry hands it to a worker that starts the solve over. After LUNGANG_JOB_RETRIES such
// retries the job goes to the dead-letter queue and its run is marked failed with the reason. The
// job's expiry (LUNGANG_JOB_EXPIRE_SECONDS, hours) is only the last resort, for a worker lost in the
// instant between taking a job and claiming its row.
//
// pg-boss keeps a job's id across its retries, so completing a job by id could complete a later
// attempt's: a worker completes a job only once its row has ended, whoever ended it. A job whose
// attempt was taken back is left to that later attempt; one whose end could not be stored (database
// gone) stays active, and its row, running with no heartbeat, is found lost and retried. Hence
// fetch() and complete() here, not pg-boss's work(), which completes whatever its handler returns.
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import { type Db, isPostgresUrl, logActivity, now, openDb } from './db.ts';
import { frontierQueue } from './frontier-queue.ts';
import { type Held, beat, holds, takeBack, takeBackLost } from './heartbeat.ts';
import type { Logger } from './logger.ts';
import { runQueue } from './run-queue.ts';
import { SolvePool } from './solve-pool.ts';

const QUEUE = 'lungang-solve';
const DEAD_LETTERS = 'lungang-solve-dead';
/** The tables of the job kinds (job-queue.ts JobQueue.table). */
const TABLES: Record<string, string> = { run: 'runs', frontier: 'frontiers' };
/** What a job started over forgets of its lost attempt (a frontier's points are planned again). */
const START_OVER: Record<string, string> = { run: '', frontier: ", points_json = '[]'" };

interface SolveJob { kind: string; id: number }

export const INTERRUPTED_MESSAGE = '求解进程多次中断，运行失败';

export interface QueueSettings {
  /** Times a job whose worker died is started over before it is marked failed. */
  retries: number;
  /** Seconds a job may stay with one worker before pg-boss counts it as lost: the last resort, above every hard time limit. */
  expireSeconds: number;
  /** How often pg-boss looks for expired jobs. */
  checkSeconds: number;
  /** How often a worker renews the heartbeat of each job it solves, and looks for lost ones. */
  heartbeatSeconds: number;
  /** A running job whose heartbeat is this old has lost its worker: several heartbeats, so one late write never costs a live solve. */
  lostSeconds: number;
}

export const queueSettings = (env = process.env): QueueSettings => ({
  retries: Number(env.LUNGANG_JOB_RETRIES ?? 2),
  expireSeconds: Number(env.LUNGANG_JOB_EXPIRE_SECONDS ?? 6 * 3600),
  checkSeconds: Number(env.LUNGANG_QUEUE_CHECK_SECONDS ?? 60),
  heartbeatSeconds: Number(env.LUNGANG_HEARTBEAT_SECONDS ?? 10),
  lostSeconds: Number(env.LUNGANG_WORKER_LOST_SECONDS ?? 60),
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
  const settings = queueSettings();
  if (!(settings.heartbeatSeconds > 0 && settings.lostSeconds >= 3 * settings.heartbeatSeconds)) {
    throw new Error('LUNGANG_WORKER_LOST_SECONDS must be at least 3 × LUNGANG_HEARTBEAT_SECONDS');
  }
  const log: Logger = { info: jsonLog('info'), error: jsonLog('error') };
  const slots = Number(process.env.LUNGANG_WORKER_SLOTS ?? availableParallelism());
  const db = await openDb(url);
  const pool = new SolvePool(db, {
    poolSize: slots, log, queues: [runQueue(db), frontierQueue(db)], external: true, bounds: process.env.LUNGANG_BEST_ACHIEVABLE !== '0',
  });
  const boss = await startBoss(url, settings, log);
  let stopping = false;
  /** Jobs this worker's slots have taken and not yet let go. */
  const inHand = new Set<SolveJob>();

  const rowStatus = async ({ kind, id }: SolveJob) => (await db.get<{ status: string }>(`SELECT status FROM ${TABLES[kind]} WHERE id = ?`, id))?.status;
  /** Solves a job's row; whether the row has ended (only then may the job be completed). */
  const solve = async (job: SolveJob): Promise<boolean> => {
    const { kind, id } = job;
    // pg-boss gives a job to one worker at a time: a row still 'running' was an earlier attempt's, lost.
    if (await db.run(`UPDATE ${TABLES[kind]} SET status = 'queued', lease = NULL${START_OVER[kind]} WHERE id = ? AND status = 'running'`, id) > 0) {
      await logActivity(db, { userId: null, action: `${kind}.retry`, entity: kind, entityId: id });
      log.info({ [kind]: id }, `${kind} started over after its worker was lost`);
    }
    await pool.runJob(kind, id);
    const status = await rowStatus(job);
    return status !== 'queued' && status !== 'running';
  };
  const slot = async () => {
    while (!stopping) {
      const [job] = await boss.fetch<SolveJob>(QUEUE);
      if (job && stopping) return void await boss.fail(QUEUE, job.id, { reason: 'worker stopped' });
      if (!job) { await sleep(1000); continue; }
      inHand.add(job.data);
      try {
        if (await solve(job.data)) await boss.complete(QUEUE, job.id);
      } catch (err) {
        log.error({ [job.data.kind]: job.data.id, err }, `${job.data.kind}: solving its job failed`);
      }
      inHand.delete(job.data);
    }
  };
  for (let i = 0; i < slots; i++) void slot();
  await boss.work<SolveJob>(DEAD_LETTERS, { pollingIntervalSeconds: 5 }, async (jobs) => { for (const j of jobs) await failLost(db, j.data); });

  /** Gives a taken-back job to the queue again; one pg-boss no longer holds can never come back, so its row is failed. */
  const retry = async (job: SolveJob) => {
    const current = await boss.getJobById<SolveJob>(QUEUE, jobId(job.kind, job.id));
    if (current?.state === 'active') await boss.fail(QUEUE, current.id, { reason: 'worker lost' });
    else if (!current || ['completed', 'cancelled', 'failed'].includes(current.state)) await failLost(db, job);
  };
  const stopHere = async (j: Held) => (j.kind === 'bounds' ? pool.dropBounds(j.id) : void await pool.cancel(j.kind, j.id));
  // A job cancelled on the server, or taken back from this worker, stops here within seconds, writing nothing more.
  const watch = setInterval(() => {
    void (async () => {
      for (const j of pool.activeJobs()) if (!await holds(db, j)) await stopHere(j);
    })().catch((err: unknown) => log.error({ err }, 'checking for cancelled jobs failed'));
  }, 2000);
  // The heartbeat, on the main thread (the solves have their own): ours renewed, lost ones taken back.
  const heartbeat = setInterval(() => {
    void (async () => {
      await beat(db, pool.activeJobs());
      for (const { kind, id, outcome } of await takeBackLost(db, settings.lostSeconds, settings.retries)) {
        log.info({ [kind]: id, outcome }, `${kind}: its worker was lost (no heartbeat for ${settings.lostSeconds} s)`);
        if (kind !== 'bounds') await retry({ kind, id });
      }
      // Best-achievable jobs queued again, or left queued by a lost worker.
      pool.pump();
    })().catch((err: unknown) => log.error({ err }, 'heartbeat failed'));
  }, settings.heartbeatSeconds * 1000);

  log.info({ slots }, 'worker started');
  // Stopping hands this worker's jobs back at once, as when it is lost (so each counts as a retry).
  // Not through pg-boss's stop, which would fail every job in hand, also one whose attempt was taken
  // back and whose id is now another worker's.
  const handBack = async () => {
    const held = pool.activeJobs();
    for (const j of held) if (j.kind === 'bounds') await takeBack(db, j.kind, j.id, { lease: j.lease }, settings.retries);
    for (const job of inHand) {
      const mine = held.find((j) => j.kind === job.kind && j.id === job.id);
      // Claimed under this worker's lease, or taken and not claimed yet.
      const back = mine ? await takeBack(db, job.kind, job.id, { lease: mine.lease }, settings.retries) !== null : await rowStatus(job) === 'queued';
      if (back) await boss.fail(QUEUE, jobId(job.kind, job.id), { reason: 'worker stopped' });
    }
  };
  const stop = (signal: string) => {
    log.info({ signal }, 'worker stopping');
    stopping = true;
    clearInterval(watch);
    clearInterval(heartbeat);
    setTimeout(() => process.exit(0), 10_000).unref();
    handBack().catch((err: unknown) => log.error({ err }, 'handing jobs back failed')).finally(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
