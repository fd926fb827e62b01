// Short background tasks (upload and lock validation, audits, comparisons, workbooks) in a pool
// of long-lived worker threads sized to the machine, so parsing never runs on the request thread
// and one slow or hostile task never holds up the others. Each worker runs one task at a time;
// a task past its deadline fails alone: its worker is replaced, the other workers and the queued
// tasks carry on.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TaskKind, TaskReply, Tasks } from './run-job.ts';

const WORKER_URL = new URL('./run-worker.mjs', import.meta.url);

interface Task { id: number; kind: TaskKind; req: unknown; resolve: (res: Tasks[TaskKind]['res']) => void; reject: (err: Error) => void }
interface Slot { worker: Worker; task: Task | null; timer: NodeJS.Timeout | null }

export class TaskPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly timeoutSeconds = 120,
    private readonly size = Math.max(2, Math.min(4, availableParallelism())),
  ) {}

  /** Starts the workers ahead of the first request (their TypeScript loader takes about a second). */
  warmUp(): void {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
  }

  run<K extends TaskKind>(kind: K, req: Tasks[K]['req']): Promise<Tasks[K]['res']> {
    if (this.closed) return Promise.reject(new Error('服务器正在关闭'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, kind, req, resolve: (res) => resolve(res as Tasks[K]['res']), reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('服务器正在关闭'));
    await Promise.all(this.slots.splice(0).map((s) => {
      s.task?.reject(new Error('服务器正在关闭'));
      if (s.timer) clearTimeout(s.timer);
      return s.worker.terminate();
    }));
  }

  private pump(): void {
    this.warmUp();
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.timer = setTimeout(() => this.replace(slot, new Error(`后台任务超过${this.timeoutSeconds}秒未完成`)), this.timeoutSeconds * 1000);
      slot.worker.postMessage({ id: task.id, kind: task.kind, req: task.req });
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_URL, { workerData: { mode: 'tasks' } }), task: null, timer: null };
    slot.worker.on('message', (m: TaskReply) => {
      const task = slot.task;
      if (!task || task.id !== m.id) return;
      this.settle(slot);
      if (m.ok) task.resolve(m.res);
      else task.reject(new Error(m.message));
      this.pump();
    });
    slot.worker.on('error', (err) => this.replace(slot, err));
    slot.worker.on('exit', () => this.replace(slot, new Error('后台任务进程意外退出')));
    // The pool never keeps the process alive on its own; the HTTP server does.
    slot.worker.unref();
    return slot;
  }

  private settle(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
  }

  /** Fails the slot's task only, and puts a fresh worker in its place. */
  private replace(slot: Slot, err: Error): void {
    const at = this.slots.indexOf(slot);
    if (at < 0 || this.closed) return;
    const task = slot.task;
    this.settle(slot);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    this.slots.splice(at, 1);
    task?.reject(err);
    this.pump();
  }
}
