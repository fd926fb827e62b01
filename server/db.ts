// The server's database: the Db interface every route and job uses, the row shapes, the
// append-only activity log and the lookups shared by several resources. Two back ends implement
// Db: one SQLite file (db-sqlite.ts, the embedded default) and PostgreSQL (db-postgres.ts, the
// production mode, selected by a postgres:// URL). SQL is written once, with `?` placeholders,
// in the subset both understand; the few differences are the fragments at the end of this file.
//
// Every statement here is an indexed lookup or a small write. Heavy work (parsing, solving,
// auditing) happens in worker threads (solve-pool.ts, task-pool.ts), never here.
import { openSqlite } from './db-sqlite.ts';

/** A statement parameter: both back ends bind these (Buffers are BLOB / bytea). */
export type Param = string | number | null | Buffer;

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  /** The first row, if any. */
  get<T>(sql: string, ...params: Param[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: Param[]): Promise<T[]>;
  /** Rows changed. */
  run(sql: string, ...params: Param[]): Promise<number>;
  /** An INSERT into a table with an `id` column: the new row's id. */
  insert(sql: string, ...params: Param[]): Promise<number>;
  /** Runs `fn` in one transaction on `tx` (committed when it resolves, rolled back when it throws); nested calls join it. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** A token that changes when someone else may have written to the database (hashes.ts caches checks by it). */
  dataVersion(): Promise<string>;
  close(): Promise<void>;
}

/** A PostgreSQL URL selects the production back end; anything else is a SQLite file path. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

/** Opens (creating and migrating) the database at `location`: a SQLite file path or a postgres:// URL. */
export async function openDb(location: string): Promise<Db> {
  if (!isPostgresUrl(location)) return openSqlite(location);
  // Loaded only in production mode: the embedded default does not need the driver installed.
  const { openPostgres } = await import('./db-postgres.ts');
  return openPostgres(location);
}

export const ROLES = ['admin', 'planner', 'leader', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export const RUN_STATUSES = ['queued', 'running', 'done', 'infeasible', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];

export interface UserRow {
  id: number;
  username: string;
  role: Role;
  password_hash: string;
  must_change_password: 0 | 1;
  disabled: 0 | 1;
  created_at: string;
  /** Wrong passwords since the last successful login (login-lockout.ts). */
  failed_logins: number;
  /** 1: locked after too many wrong passwords, until an admin unlocks. */
  locked: 0 | 1;
}

export interface DatasetRow {
  id: number;
  name: string;
  content_hash: string;
  counties_json: string;
  school_count: number;
  teacher_count: number;
  /** The dataset's own policy.json (or the defaults), fully parsed: a new scenario starts from it. */
  policy_json: string;
  /** The dataset's own locks.csv rows: a new scenario starts from them. */
  locks_json: string;
  created_by: number | null;
  created_at: string;
  /** SHA-256 over the parsed school and teacher rows the listings, names and exports read (rowsHash). */
  rows_hash: string | null;
  /** 0 while an upload is still writing its rows or a delete is removing them: no reader sees it. */
  ready: 0 | 1;
}

export interface DatasetFileRow {
  name: string;
  sha256: string;
  content: Buffer;
}

export interface ScenarioRow {
  id: number;
  dataset_id: number;
  name: string;
  notes: string;
  /** 1: the notes are still the ones copied from the source scenario (not edited since). */
  notes_inherited: 0 | 1;
  /** The copied note, kept for reference after the copy's policy or locks changed and it was cleared. */
  notes_reference: string;
  policy_json: string;
  locks_json: string;
  /** 1: a new run re-plans against the scenario's last finished run (its baseline). */
  use_baseline: 0 | 1;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface RunRow {
  id: number;
  scenario_id: number;
  dataset_id: number;
  user_id: number;
  status: RunStatus;
  /** Snapshot of the scenario's policy and locks when the run was started: later edits never change a run. */
  inputs_json: string;
  progress_json: string | null;
  message: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The running attempt's token and heartbeat (heartbeat.ts). */
  lease: string | null;
  heartbeat_at: string | null;
  plan_csv: string | null;
  report_json: string | null;
  summary_json: string | null;
  result_hash: string | null;
  adopted_by: number | null;
  adopted_at: string | null;
}

export const FRONTIER_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;

export interface FrontierRow {
  id: number;
  scenario_id: number;
  dataset_id: number;
  user_id: number;
  status: (typeof FRONTIER_STATUSES)[number];
  /** Snapshot of the scenario's policy and locks, and the shares planned. */
  inputs_json: string;
  progress_json: string | null;
  /** The points planned so far, in share order (kept when a frontier is cancelled or fails). */
  points_json: string;
  message: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  lease: string | null;
  heartbeat_at: string | null;
}

export const now = (): string => new Date().toISOString();

export async function getMeta(db: Db, key: string): Promise<string | undefined> {
  return (await db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', key))?.value;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  await db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', key, value);
}

export interface ActivityEntry {
  userId: number | null;
  action: string;
  entity: string;
  entityId?: number | null;
  /** Ids and counts only: never names, passwords or uploaded content. */
  details?: Record<string, string | number | boolean | null | (string | number)[]>;
}

export async function logActivity(db: Db, e: ActivityEntry): Promise<void> {
  await db.run('INSERT INTO activity (at, user_id, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)',
    now(), e.userId, e.action, e.entity, e.entityId ?? null, e.details ? JSON.stringify(e.details) : null);
}

// ---------------------------------------------------------------------------------------------
// Lookups shared by several resources.

/** A dataset that is ready: one still being written or deleted does not exist for any reader. */
export const getDataset = (db: Db, id: number) => db.get<DatasetRow>('SELECT * FROM datasets WHERE id = ? AND ready = 1', id);
export const getScenario = (db: Db, id: number) => db.get<ScenarioRow>('SELECT * FROM scenarios WHERE id = ?', id);
export const getRun = (db: Db, id: number) => db.get<RunRow>('SELECT * FROM runs WHERE id = ?', id);
export const getFrontier = (db: Db, id: number) => db.get<FrontierRow>('SELECT * FROM frontiers WHERE id = ?', id);

/** A user's queued or running solves, runs and frontiers together (the per-user limit counts both). */
export async function activeSolves(db: Db, userId: number): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT (SELECT COUNT(*) FROM runs WHERE user_id = ? AND status IN ('queued', 'running'))
    + (SELECT COUNT(*) FROM frontiers WHERE user_id = ? AND status IN ('queued', 'running')) AS n`, userId, userId))?.n ?? 0;
}

export function datasetFiles(db: Db, datasetId: number): Promise<DatasetFileRow[]> {
  return db.all<DatasetFileRow>('SELECT name, sha256, content FROM dataset_files WHERE dataset_id = ? ORDER BY name', datasetId);
}

/** The adopted run of a dataset, if any (at most one: adoption is the county's decision). */
export async function adoptedRunOfDataset(db: Db, datasetId: number): Promise<number | undefined> {
  return (await db.get<{ id: number }>('SELECT id FROM runs WHERE dataset_id = ? AND adopted_at IS NOT NULL', datasetId))?.id;
}

// ---------------------------------------------------------------------------------------------
// The SQL the two back ends spell differently.

/** `IN (…)` operand: the values of a JSON array bound as one parameter (any length, unlike a list of placeholders). */
export const jsonValues = (db: Db, type: 'text' | 'integer'): string =>
  db.dialect === 'sqlite' ? 'SELECT value FROM json_each(?)' : `SELECT json_array_elements_text(?::json)::${type}`;

/** An integer field of a JSON text column. */
export const jsonInteger = (db: Db, column: string, field: string): string =>
  db.dialect === 'sqlite' ? `json_extract(${column}, '$.${field}')` : `(${column}::json->>'${field}')::integer`;

/**
 * The database's clock as now() writes it (ISO 8601, UTC, milliseconds). Heartbeats use it: written
 * by workers on several machines and compared by others, they need one clock, not each machine's.
 */
export const sqlNow = (db: Db): string => (db.dialect === 'sqlite'
  ? "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
  : `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * Inside a transaction, before checking what a write depends on (a count, a row's state): locks the
 * rows of `table` that `where` matches until the transaction ends, so a concurrent request making
 * the same check waits and then sees this one's write. PostgreSQL runs transactions side by side
 * (READ COMMITTED: both would pass the check); FOR NO KEY UPDATE, so rows merely referencing them
 * can still be inserted. Nothing to do on SQLite: its write transactions (BEGIN IMMEDIATE, one
 * connection) already run one at a time.
 */
export async function lockRows(tx: Db, table: string, where: string, ...params: Param[]): Promise<void> {
  if (tx.dialect === 'postgres') await tx.all(`SELECT id FROM ${table} WHERE ${where} ORDER BY id FOR NO KEY UPDATE`, ...params);
}

/** Case-insensitive LIKE (SQLite's LIKE already is, for ASCII). */
export const likeOperator = (db: Db): string => (db.dialect === 'sqlite' ? 'LIKE' : 'ILIKE');
