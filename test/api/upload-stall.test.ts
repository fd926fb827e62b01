// Issue 9: a large valid upload or delete must not freeze other users' requests. A generated
// county of over 40,000 teachers is uploaded and deleted through the API while another user
// reads; the worst read during each is compared with idle reads (a generous ratio: CI machines
// are loaded). Also: the dataset stays invisible until complete, its rows hash is rowsHash's,
// and what a crash leaves half-written is gone after a restart.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCounty, writeCountyCsv } from '../../data/generate.ts';
import { getDataset } from '../../server/db.ts';
import { rowsHash } from '../../server/hashes.ts';
import { type TestServer, removeDir, startServer, tempDir, uploadSample } from './helpers.ts';

let s: TestServer;
let countyDir = '';
let smallId = 0;
beforeAll(async () => {
  s = await startServer();
  smallId = (await uploadSample(s, 'tiny')).id;
  countyDir = await tempDir();
  writeCountyCsv(countyDir, generateCounty({ teachers: 41_000, seed: 9 }));
}, 120_000);
afterAll(async () => { await s.close(); await removeDir(s.dir); await removeDir(countyDir); });

async function countyForm(): Promise<FormData> {
  const form = new FormData();
  for (const f of await readdir(countyDir)) form.append('files', new Blob([new Uint8Array(await readFile(join(countyDir, f)))]), f);
  return form;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

interface Read { ms: number; listed: number[]; endedAt: number }

/** Another user's read: the datasets list and a page of teachers; returns its latency, the datasets listed and when it ended. */
async function read(): Promise<Read> {
  const t = performance.now();
  const [list, page] = await Promise.all([
    s.app.inject({ method: 'GET', url: '/api/datasets', headers: { cookie: s.cookie.leader } }),
    s.app.inject({ method: 'GET', url: `/api/datasets/${smallId}/teachers?page_size=50`, headers: { cookie: s.cookie.leader } }),
  ]);
  expect(list.statusCode).toBe(200);
  expect(page.statusCode).toBe(200);
  return { ms: performance.now() - t, listed: (list.json().items as { id: number }[]).map((d) => d.id), endedAt: Date.now() };
}

/** Reads 20 ms apart for as long as `work` runs (at least 15): each wait hands the event loop to the work. */
async function readsDuring<T>(work: Promise<T>): Promise<{ result: T; reads: Read[] }> {
  let pending = true;
  const done = work.finally(() => (pending = false));
  const reads: Read[] = [];
  while (pending || reads.length < 15) {
    reads.push(await read());
    await new Promise((r) => setTimeout(r, 20));
  }
  return { result: await done, reads };
}

describe('a 41,000-teacher county uploaded and deleted while another user reads', () => {
  it('keeps reads responsive, hides the dataset until complete, and stores rowsHash\'s digest', async () => {
    const idle: number[] = [];
    for (let i = 0; i < 15; i++) idle.push((await read()).ms);
    const bound = Math.max(20 * median(idle), 500);

    const form = await countyForm();
    const upload = await readsDuring(s.app.inject({ method: 'POST', url: '/api/datasets', headers: { cookie: s.cookie.planner }, payload: form }));
    expect(upload.result.statusCode, upload.result.body.slice(0, 300)).toBe(201);
    const created = upload.result.json() as { id: number; teachers: number; schools: number };
    expect(created.teachers).toBeGreaterThanOrEqual(40_000);
    // While it was being written no reader saw it: no read that ended before the transaction that
    // shows it (its dataset.create entry is written there) listed it. (Reads go on after the
    // upload's response, and on PostgreSQL the last steps of an upload take longer than a read.)
    const log = await s.app.inject({ method: 'GET', url: `/api/activity?entity=dataset&entity_id=${created.id}`, headers: { cookie: s.cookie.auditor } });
    const shownAt = Date.parse(log.json().items.find((i: { action: string }) => i.action === 'dataset.create').at);
    const before = upload.reads.filter((r) => r.endedAt < shownAt);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((r) => !r.listed.includes(created.id))).toBe(true);

    const { db } = s.app.lungang;
    expect((await getDataset(db, created.id))!.rows_hash).toBe(await rowsHash(db, created.id));
    const teachers = await s.app.inject({ method: 'GET', url: `/api/datasets/${created.id}/teachers?page=3`, headers: { cookie: s.cookie.leader } });
    expect(teachers.json().total).toBe(created.teachers);

    const del = await readsDuring(s.app.inject({ method: 'DELETE', url: `/api/datasets/${created.id}`, headers: { cookie: s.cookie.planner } }));
    expect(del.result.statusCode).toBe(204);
    expect(await db.get('SELECT COUNT(*) AS n FROM dataset_teachers WHERE dataset_id = ?', created.id)).toEqual({ n: 0 });

    const worstUpload = Math.max(...upload.reads.map((r) => r.ms));
    const worstDelete = Math.max(...del.reads.map((r) => r.ms));
    console.log(`reads: idle median ${median(idle).toFixed(1)} ms; during the ${created.teachers}-teacher upload max ${worstUpload.toFixed(0)} ms ` +
      `(${upload.reads.length} reads, median ${median(upload.reads.map((r) => r.ms)).toFixed(1)} ms); during its delete max ${worstDelete.toFixed(0)} ms ` +
      `(${del.reads.length} reads); bound ${bound.toFixed(0)} ms`);
    expect(worstUpload).toBeLessThan(bound);
    expect(worstDelete).toBeLessThan(bound);
  }, 300_000);

  it('a dataset being deleted answers 404 to a second delete, a read and a new scenario; never 500', async () => {
    const { id } = (await s.app.inject({ method: 'POST', url: '/api/datasets', headers: { cookie: s.cookie.planner }, payload: await countyForm() })).json();
    const first = s.app.inject({ method: 'DELETE', url: `/api/datasets/${id}`, headers: { cookie: s.cookie.planner } });
    // The first delete hides the dataset at once (its first transaction); these arrive while its rows go.
    await expect.poll(async () => (await s.app.inject({ method: 'GET', url: `/api/datasets/${id}`, headers: { cookie: s.cookie.leader } })).statusCode,
      { interval: 1 }).toBe(404);
    const [second, got, scenario] = await Promise.all([
      s.app.inject({ method: 'DELETE', url: `/api/datasets/${id}`, headers: { cookie: s.cookie.planner } }),
      s.app.inject({ method: 'GET', url: `/api/datasets/${id}/teachers`, headers: { cookie: s.cookie.leader } }),
      s.app.inject({ method: 'POST', url: '/api/scenarios', headers: { cookie: s.cookie.planner }, payload: { dataset_id: id, name: '竞争' } }),
    ]);
    expect((await first).statusCode).toBe(204);
    expect([second.statusCode, got.statusCode, scenario.statusCode]).toEqual([404, 404, 404]);
  }, 120_000);
});

describe('a restart after a crash mid-upload', () => {
  it('removes the half-written dataset before serving', async () => {
    const dir = await tempDir();
    let server = await startServer({}, dir);
    try {
      const { id } = await uploadSample(server, 'tiny');
      // What a crash between two chunks leaves: the dataset still hidden with part of its rows.
      await server.app.lungang.db.run('UPDATE datasets SET ready = 0 WHERE id = ?', id);
      await server.close();
      server = await startServer({}, dir);
      const { db } = server.app.lungang;
      expect(await db.get('SELECT COUNT(*) AS n FROM datasets WHERE id = ?', id)).toEqual({ n: 0 });
      expect(await db.get('SELECT COUNT(*) AS n FROM dataset_teachers WHERE dataset_id = ?', id)).toEqual({ n: 0 });
      expect(await db.get('SELECT COUNT(*) AS n FROM dataset_files WHERE dataset_id = ?', id)).toEqual({ n: 0 });
    } finally {
      await server.close();
      await removeDir(dir);
    }
  }, 60_000);
});
