// Content hashes and the integrity check of adopted runs: what makes stored data tamper-evident.
// A dataset has a content hash (its files) and a rows hash (its parsed rows, which listings,
// names and workbooks read); a run has a result hash (dataset, inputs, every output).
import { createHash } from 'node:crypto';
import { type Db, type RunRow, datasetFiles, getDataset } from './db.ts';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A dataset's content hash: over each file's name and bytes, in name order (upload order is irrelevant). */
export function contentHash(files: readonly { name: string; content: Uint8Array }[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) h.update(`${f.name}\u0000${sha256(f.content)}\n`);
  return h.digest('hex');
}

/** What a run's result hash covers: the dataset, the exact inputs solved, and every stored output. */
export function resultHash(datasetHash: string, run: Pick<RunRow, 'inputs_json' | 'plan_csv' | 'report_json' | 'summary_json'>): string {
  return sha256([datasetHash, run.inputs_json, run.plan_csv ?? '', run.report_json ?? '', run.summary_json ?? ''].join('\u0000'));
}

/** A dataset's parsed rows hash: every stored school and teacher row (names included), in upload order. */
export const rowsHash = (db: Db, datasetId: number): Promise<string> => rowsHashPaced(db, datasetId);

/**
 * rowsHash read `chunk` rows at a time (keyset pages by seq, so exactly the rows and order of one
 * full scan), awaiting `pause` between pages: an upload yields to other requests there (dataset-store.ts).
 */
export async function rowsHashPaced(db: Db, datasetId: number, chunk = 2000, pause: () => Promise<void> = async () => undefined): Promise<string> {
  const h = createHash('sha256');
  for (const [tag, sql] of [
    ['s', 'SELECT seq, id, name, county AS extra, data FROM dataset_schools WHERE dataset_id = ? AND seq > ? ORDER BY seq LIMIT ?'],
    ['t', 'SELECT seq, id, name, school_id AS extra, data FROM dataset_teachers WHERE dataset_id = ? AND seq > ? ORDER BY seq LIMIT ?'],
  ] as const) {
    // seq counts from 0.
    for (let after = -1; ;) {
      const rows = await db.all<{ seq: number; id: string; name: string; extra: string; data: string }>(sql, datasetId, after, chunk);
      for (const r of rows) h.update(`${tag}\u0000${r.seq}\u0000${r.id}\u0000${r.name}\u0000${r.extra}\u0000${r.data}\n`);
      if (rows.length < chunk) break;
      after = rows[rows.length - 1]!.seq;
      await pause();
    }
  }
  return h.digest('hex');
}

/**
 * Re-verifies a finished run against what was stored: every dataset file against its SHA-256,
 * the dataset's content hash, its parsed rows' hash, and the run's result hash. Returns what is wrong, or null.
 * Checked when a run is adopted and on every read of an adopted run.
 */
export async function integrityProblem(db: Db, run: RunRow): Promise<string | null> {
  // Hashing every file and row of a large county on each read stalls the server, so a passed check
  // stands until the database's data version moves (db.ts): on SQLite when ANOTHER connection
  // commits (an edit with the sqlite3 tool or any other program included; this server never writes
  // an adopted run's data), on PostgreSQL at any write.
  const version = await db.dataVersion();
  let passed = passedChecks.get(db);
  if (!passed) passedChecks.set(db, (passed = new Map()));
  if (passed.get(run.id) === version) return null;
  const problem = await fullCheck(db, run);
  if (problem === null) passed.set(run.id, version);
  else passed.delete(run.id);
  return problem;
}

/** Per connection: run id → the data_version at which its full check last passed. */
const passedChecks = new WeakMap<Db, Map<number, string>>();

async function fullCheck(db: Db, run: RunRow): Promise<string | null> {
  const dataset = await getDataset(db, run.dataset_id);
  if (!dataset) return `运行 #${run.id} 的数据集不存在`;
  const files = await datasetFiles(db, dataset.id);
  const bad = files.find((f) => sha256(f.content) !== f.sha256);
  if (bad) return `运行 #${run.id} 的数据集文件 ${bad.name} 与存储的哈希不一致，可能被篡改`;
  if (contentHash(files) !== dataset.content_hash) return `运行 #${run.id} 的数据集内容哈希不一致，可能被篡改`;
  if (await rowsHash(db, dataset.id) !== dataset.rows_hash) return `运行 #${run.id} 的数据集解析行（学校、教师）与存储的哈希不一致，可能被篡改`;
  if (run.result_hash === null || resultHash(dataset.content_hash, run) !== run.result_hash) {
    return `运行 #${run.id} 的输入或结果与存储的哈希不一致，可能被篡改`;
  }
  return null;
}

/** Datasets stored before the rows hash existed get theirs (once, at start-up). */
export async function backfillRowsHashes(db: Db): Promise<void> {
  for (const { id } of await db.all<{ id: number }>('SELECT id FROM datasets WHERE rows_hash IS NULL AND ready = 1')) {
    await db.run('UPDATE datasets SET rows_hash = ? WHERE id = ?', await rowsHash(db, id), id);
  }
}
