// Writing and removing a dataset's rows without holding the request thread (issue 9). One
// transaction over a 170k-teacher county froze every other request for seconds; here each
// transaction covers CHUNK_ROWS rows and the event loop runs other requests between them. A
// dataset is hidden from every reader (ready = 0, see getDataset) until its last row and its rows
// hash are in, and from the moment its delete starts; what a crash leaves hidden is removed at
// the next start.
import type { Lock, Policy, School, Teacher } from '../solver/contract/schemas.ts';
import { type Db, type Param, logActivity, now } from './db.ts';
import { rowsHashPaced, sha256 } from './hashes.ts';
import { type RowLines, rowChunks } from './row-lines.ts';

/** Rows per transaction: 10–20 ms of SQLite work on a loaded 2-core machine, so other requests wait at most that long. */
const CHUNK_ROWS = 1000;

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface NewDataset {
  name: string;
  contentHash: string;
  files: readonly { name: string; content: Uint8Array }[];
  counties: string[];
  schools: RowLines;
  teachers: RowLines;
  policy: Policy;
  locks: Lock[];
  userId: number | null;
}

/** Stores a validated dataset in chunks and makes it visible at the end; on any failure removes what was written. */
export async function storeDataset(db: Db, d: NewDataset): Promise<number> {
  const id = await db.insert(`INSERT INTO datasets (name, content_hash, counties_json, school_count, teacher_count, policy_json, locks_json, created_by, created_at, ready)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`, d.name, d.contentHash, JSON.stringify(d.counties), d.schools.count, d.teachers.count,
    JSON.stringify(d.policy), JSON.stringify(d.locks), d.userId, now());
  try {
    // A file may be 20 MB: one per step.
    for (const f of d.files) {
      await db.run('INSERT INTO dataset_files (dataset_id, name, sha256, content) VALUES (?, ?, ?, ?)', id, f.name, sha256(f.content), Buffer.from(f.content));
      await pause();
    }
    await insertChunks(db, 'INSERT INTO dataset_schools (dataset_id, seq, id, name, county, data) VALUES', d.schools,
      (line, seq) => {
        const s = JSON.parse(line) as School;
        return [id, seq, s.id, s.name, s.county ?? '', line];
      });
    await insertChunks(db, 'INSERT INTO dataset_teachers (dataset_id, seq, id, name, school_id, data) VALUES', d.teachers,
      (line, seq) => {
        const t = JSON.parse(line) as Teacher;
        return [id, seq, t.id, t.name, t.school_id, line];
      });
    // Read back from the stored rows, so it is rowsHash's digest by construction.
    const rowsHash = await rowsHashPaced(db, id, CHUNK_ROWS, pause);
    await db.transaction(async (tx) => {
      await tx.run('UPDATE datasets SET rows_hash = ?, ready = 1 WHERE id = ?', rowsHash, id);
      await logActivity(tx, {
        userId: d.userId, action: 'dataset.create', entity: 'dataset', entityId: id,
        details: { files: d.files.length, schools: d.schools.count, teachers: d.teachers.count },
      });
    });
    return id;
  } catch (err) {
    // If the clean-up fails too (the database closed), the hidden rest goes at the next start.
    await removeHiddenDataset(db, id).catch(() => undefined);
    throw err;
  }
}

/**
 * Inserts the rows' lines (`insert` ends at VALUES), one statement of CHUNK_ROWS rows each, with
 * their position as seq: one round trip per chunk on PostgreSQL, within both back ends' parameter limits.
 */
async function insertChunks(db: Db, insert: string, rows: RowLines, values: (line: string, seq: number) => Param[]): Promise<void> {
  let seq = 0;
  for (const lines of rowChunks(rows, CHUNK_ROWS)) {
    const params = lines.flatMap((line, i) => values(line, seq + i));
    const row = `(${params.slice(0, params.length / lines.length).map(() => '?').join(', ')})`;
    await db.run(`${insert} ${Array(lines.length).fill(row).join(', ')}`, ...params);
    seq += lines.length;
    await pause();
  }
}

/** Deletes a hidden dataset (ready = 0): its rows in chunks, then the dataset itself with its files. */
export async function removeHiddenDataset(db: Db, id: number): Promise<void> {
  for (const table of ['dataset_teachers', 'dataset_schools'] as const) {
    const del = `DELETE FROM ${table} WHERE dataset_id = ? AND seq IN (SELECT seq FROM ${table} WHERE dataset_id = ? ORDER BY seq LIMIT ?)`;
    while (await db.run(del, id, id, CHUNK_ROWS) > 0) await pause();
  }
  await db.run('DELETE FROM datasets WHERE id = ? AND ready = 0', id);
}

/** At start-up, before any request: datasets an upload or a delete left hidden when the server stopped. */
export async function removeUnfinishedDatasets(db: Db): Promise<number[]> {
  const ids = (await db.all<{ id: number }>('SELECT id FROM datasets WHERE ready = 0')).map((r) => r.id);
  await db.run('DELETE FROM datasets WHERE ready = 0');
  return ids;
}
