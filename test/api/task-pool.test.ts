// The task pool: a task past its deadline fails alone — the task running beside it and the tasks
// queued behind it still finish — and its worker is replaced.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCounty, writeCountyCsv } from '../../data/generate.ts';
import { TaskPool } from '../../server/task-pool.ts';
import { sampleDir } from './helpers.ts';

const pool = new TaskPool(1, 2);
afterAll(() => pool.close());

const filesOf = async (dir: string) => Promise.all((await readdir(dir)).map(async (name) => ({ name, content: new Uint8Array(await readFile(join(dir, name))) })));

describe('task pool', () => {
  it('fails only the task past its deadline; the others finish, and the pool keeps working', async () => {
    pool.warmUp();
    const tiny = await filesOf(sampleDir('tiny'));
    // 60,000 teachers take several seconds to validate: far past the 1 s deadline (a tiny county takes ~0.05 s).
    const dir = await mkdtemp(join(tmpdir(), 'lungang-pool-'));
    writeCountyCsv(dir, generateCounty({ teachers: 60_000, seed: 1 }));
    const big = await filesOf(dir);
    await rm(dir, { recursive: true, force: true });
    const slow = pool.run('dataset', { files: big });
    const beside = [1, 2, 3].map(() => pool.run('dataset', { files: tiny }));
    await expect(slow).rejects.toThrow('后台任务超过1秒未完成');
    for (const r of await Promise.all(beside)) expect(r.ok && r.teachers.count).toBe(60);
    const after = await pool.run('dataset', { files: tiny });
    expect(after.ok).toBe(true);
  }, 120_000);
});
