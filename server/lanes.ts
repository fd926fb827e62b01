// Solve lanes: one long-lived worker per core (lane-worker.mjs → lane-job.ts), shared by every plan
// of the process, each building AND solving one county at a time, so two counties truly use two
// cores (building a county's model on the calling thread serialised them). Each lane keeps one warm
// HiGHS worker (engine-workers.ts). Fair between owners (the server's users; the CLI is one owner):
// queued counties are served round-robin by owner, so one user's 150-county run does not hold up
// another user's single county for more than the counties already running.
//
// A county travels as v8-serialized bytes (lane-plans.ts): the thread that hands it over never
// deserializes a county's tables, which matters when that thread is the server's event loop.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER_URL = new URL('./lane-worker.mjs', import.meta.url);

export interface LaneProgress { objective: number | null; gap: number | null }

export interface LaneHooks {
  onProgress?: (p: LaneProgress) => void;
  /**
   * Work nobody waits for (best-achievable pairs): taken only when no other owner's county waits,
   * and on at most all lanes but one, so a plan that arrives finds a lane without waiting for it.
   */
  background?: boolean;
  /** Aborting drops the county if queued, and ends the lane solving it (a fresh one replaces it). */
  signal?: AbortSignal;
}

interface Task {
  owner: string;
  job: Uint8Array;
  hooks: LaneHooks;
  /** A lane that died under the task (not the task's own failure) gives it one more try. */
  tries: number;
  resolve: (plan: Uint8Array) => void;
  reject: (err: Error) => void;
}
interface Lane { worker: Worker; task: Task | null }

export type LaneMessage =
  | { type: 'progress'; objective: number | null; gap: number | null }
  | { type: 'answer'; bytes: Uint8Array }
  | { type: 'error'; message: string };

export class LanePool {
  private readonly lanes: Lane[] = [];
  private readonly queues = new Map<string, Task[]>();
  /** Owners with queued counties, in the order they are served next. */
  private readonly turns: string[] = [];
  private closed = false;

  /** `lowPriority`: lanes yield the CPU to the server's request thread (see thread-priority.ts). */
  constructor(readonly size = availableParallelism(), private readonly lowPriority = false) {}

  /** Hands one job to a lane (lane-plans.ts: a county to plan, or a best-achievable pair); resolves to its answer's bytes. */
  plan(owner: string, job: Uint8Array, hooks: LaneHooks = {}): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('求解通道已关闭'));
    if (hooks.signal?.aborted) return Promise.reject(new Error('求解已取消'));
    return new Promise((resolve, reject) => {
      // The listener goes when the county ends: a run's signal outlives its 150 counties.
      const onAbort = () => this.cancel(task);
      const done = () => hooks.signal?.removeEventListener('abort', onAbort);
      const task: Task = { owner, job, hooks, tries: 0, resolve: (plan) => { done(); resolve(plan); }, reject: (err) => { done(); reject(err); } };
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      this.enqueue(task, false);
      this.pump();
    });
  }

  /** Counties queued, not yet on a lane (tests, and the server's status). */
  get queued(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queues.values()) for (const t of q.splice(0)) t.reject(new Error('求解通道已关闭'));
    await Promise.all(this.lanes.splice(0).map((lane) => {
      lane.task?.reject(new Error('求解通道已关闭'));
      return lane.worker.terminate();
    }));
  }

  private enqueue(task: Task, first: boolean): void {
    const q = this.queues.get(task.owner) ?? [];
    this.queues.set(task.owner, q);
    if (first) q.unshift(task);
    else q.push(task);
    if (!this.turns.includes(task.owner)) this.turns.push(task.owner);
  }

  /**
   * The next owner's oldest county; that owner then goes to the back of the turns. Owners of
   * foreground work first; background work only within its lanes (LaneHooks.background).
   */
  private next(): Task | undefined {
    let at = this.turns.findIndex((o) => !this.queues.get(o)![0]!.hooks.background);
    if (at < 0) {
      const background = this.lanes.filter((l) => l.task?.hooks.background).length;
      if (background >= Math.max(1, this.size - 1)) return undefined;
      at = 0;
    }
    const [owner] = this.turns.splice(at, 1) as [string];
    const q = this.queues.get(owner)!;
    const task = q.shift()!;
    if (q.length > 0) this.turns.push(owner);
    else this.queues.delete(owner);
    return task;
  }

  private pump(): void {
    while (!this.closed && this.turns.length > 0) {
      // Lanes start only as counties need them: each loads the solver and its own HiGHS (~1 s of CPU).
      const lane = this.lanes.find((l) => !l.task) ?? (this.lanes.length < this.size ? this.spawn() : undefined);
      if (!lane) return;
      const task = this.next();
      if (!task) return;
      lane.task = task;
      lane.worker.ref();
      lane.worker.postMessage(task.job);
    }
  }

  private spawn(): Lane {
    const lane: Lane = { worker: new Worker(WORKER_URL, { workerData: { lowPriority: this.lowPriority } }), task: null };
    lane.worker.on('message', (m: LaneMessage) => {
      const task = lane.task;
      if (!task) return;
      if (m.type === 'progress') return task.hooks.onProgress?.({ objective: m.objective, gap: m.gap });
      lane.task = null;
      // An idle lane never keeps the process alive (the CLI exits when its plan is written).
      lane.worker.unref();
      if (m.type === 'answer') task.resolve(m.bytes);
      else task.reject(new Error(m.message));
      this.pump();
    });
    lane.worker.on('error', (err) => this.replace(lane, err));
    lane.worker.on('exit', () => this.replace(lane, new Error('求解通道意外退出')));
    lane.worker.unref();
    this.lanes.push(lane);
    return lane;
  }

  /** A lane died: a fresh one takes its place, and its county is tried once more before failing. */
  private replace(lane: Lane, err: Error): void {
    const at = this.lanes.indexOf(lane);
    if (at < 0) return;
    this.lanes.splice(at, 1);
    lane.worker.removeAllListeners();
    lane.worker.on('error', () => undefined);
    void lane.worker.terminate();
    const task = lane.task;
    if (task && task.tries++ < 1 && !this.closed) this.enqueue(task, true);
    else task?.reject(err);
    this.pump();
  }

  private cancel(task: Task): void {
    const q = this.queues.get(task.owner);
    const at = q?.indexOf(task) ?? -1;
    if (q && at >= 0) {
      q.splice(at, 1);
      if (q.length === 0) {
        this.queues.delete(task.owner);
        this.turns.splice(this.turns.indexOf(task.owner), 1);
      }
      return task.reject(new Error('求解已取消'));
    }
    const lane = this.lanes.find((l) => l.task === task);
    if (!lane) return;
    lane.task = null;
    task.reject(new Error('求解已取消'));
    this.replace(lane, new Error('求解已取消'));
  }
}
