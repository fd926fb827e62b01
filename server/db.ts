// The server's embedded database: one SQLite file (better-sqlite3, WAL), its schema and
// migrations, the row shapes, the append-only activity log and the content hashes that make
// stored inputs and adopted results tamper-evident.
//
// better-sqlite3 is synchronous; every statement here is an indexed lookup or a small write,
// so it costs microseconds on the event loop. Heavy work (parsing, solving, auditing) happens
// in worker threads (jobs.ts), never here.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

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
}

// Each entry migrates from version i to i + 1 (PRAGMA user_version). Append, never edit.
// Ids are AUTOINCREMENT: an id is never reused after a delete, so the activity log's ids and any
// client's links keep meaning one thing.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'leader', 'auditor')),
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    counties_json TEXT NOT NULL,
    school_count INTEGER NOT NULL,
    teacher_count INTEGER NOT NULL,
    policy_json TEXT NOT NULL,
    locks_json TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL
  );
  CREATE TABLE dataset_files (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (dataset_id, name)
  );
  -- Parsed schools and teachers, one row each, for paged and searchable listings.
  CREATE TABLE dataset_schools (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    county TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (dataset_id, seq)
  );
  CREATE INDEX dataset_schools_id ON dataset_schools(dataset_id, id);
  CREATE TABLE dataset_teachers (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    school_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (dataset_id, seq)
  );
  CREATE INDEX dataset_teachers_id ON dataset_teachers(dataset_id, id);
  CREATE INDEX dataset_teachers_school ON dataset_teachers(dataset_id, school_id);
  CREATE TABLE scenarios (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    name TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    policy_json TEXT NOT NULL,
    locks_json TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX scenarios_dataset ON scenarios(dataset_id);
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    user_id INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'infeasible', 'failed', 'cancelled')),
    inputs_json TEXT NOT NULL,
    progress_json TEXT,
    message TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    plan_csv TEXT,
    report_json TEXT,
    summary_json TEXT,
    result_hash TEXT,
    adopted_by INTEGER,
    adopted_at TEXT
  );
  CREATE INDEX runs_scenario ON runs(scenario_id);
  CREATE INDEX runs_dataset ON runs(dataset_id);
  CREATE INDEX runs_status ON runs(status, id);
  -- Who did what, when, to which ids: never names or uploaded content.
  CREATE TABLE activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    details TEXT
  );
  CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity BEGIN SELECT RAISE(ABORT, 'activity log is append-only'); END;
  CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity BEGIN SELECT RAISE(ABORT, 'activity log is append-only'); END;
  `,
  // Re-plans keep what a previous plan settled (issue 7): on by default, existing scenarios included.
  `ALTER TABLE scenarios ADD COLUMN use_baseline INTEGER NOT NULL DEFAULT 1;`,
  // Notes of copies (issue 8): a copy's note is marked inherited until edited; changing the copy's
  // policy or locks first moves an inherited note to notes_reference (README "Scenario notes").
  `ALTER TABLE scenarios ADD COLUMN notes_inherited INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE scenarios ADD COLUMN notes_reference TEXT NOT NULL DEFAULT '';`,
  // Best achievable 差异系数 per finished run (issue 8): derived, computed after the run, so kept
  // beside it and outside its result hash; deleted with the run.
  `
  CREATE TABLE run_bounds (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress_json TEXT,
    bounds_json TEXT,
    message TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
  );
  CREATE INDEX run_bounds_status ON run_bounds(status, run_id);
  `,
  // Trade-off frontiers (issue 8): a scenario planned at several rotation shares; points stored as each is planned.
  `
  CREATE TABLE frontiers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    user_id INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    inputs_json TEXT NOT NULL,
    progress_json TEXT,
    points_json TEXT NOT NULL DEFAULT '[]',
    message TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
  );
  CREATE INDEX frontiers_scenario ON frontiers(scenario_id);
  CREATE INDEX frontiers_status ON frontiers(status, id);
  `,
  // Login lockout: wrong passwords in a row per user, and the lock an admin lifts.
  `ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE users ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;`,
  // Tamper evidence for the parsed rows too (issue 9): filled for existing datasets on open.
  `ALTER TABLE datasets ADD COLUMN rows_hash TEXT;`,
  // Uploads and deletes write their rows in chunks between requests (issue 9, dataset-store.ts):
  // a dataset is hidden until all its rows are in, and from the moment its delete starts.
  `ALTER TABLE datasets ADD COLUMN ready INTEGER NOT NULL DEFAULT 1;`,
  // The rounds of an appointment cycle per scenario (issue 12): every result kept, the newest shown;
  // plan_csv only once round 3 ran. Removed with the scenario.
  `
  CREATE TABLE scenario_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    stop_after INTEGER NOT NULL,
    from_round INTEGER NOT NULL,
    rounds_csv TEXT NOT NULL,
    rounds_json TEXT NOT NULL,
    plan_csv TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX scenario_rounds_scenario ON scenario_rounds(scenario_id, id);
  `,
];

export function openDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the
  // last commits, which is acceptable for a planning tool and keeps writes fast.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

export const now = (): string => new Date().toISOString();

export function getMeta(db: Db, key: string): string | undefined {
  return db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export interface ActivityEntry {
  userId: number | null;
  action: string;
  entity: string;
  entityId?: number | null;
  /** Ids and counts only: never names, passwords or uploaded content. */
  details?: Record<string, string | number | boolean | null | (string | number)[]>;
}

export function logActivity(db: Db, e: ActivityEntry): void {
  db.prepare('INSERT INTO activity (at, user_id, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)')
    .run(now(), e.userId, e.action, e.entity, e.entityId ?? null, e.details ? JSON.stringify(e.details) : null);
}

// ---------------------------------------------------------------------------------------------
// Lookups shared by several resources.

/** A dataset that is ready: one still being written or deleted does not exist for any reader. */
export const getDataset = (db: Db, id: number) => db.prepare<[number], DatasetRow>('SELECT * FROM datasets WHERE id = ? AND ready = 1').get(id);
export const getScenario = (db: Db, id: number) => db.prepare<[number], ScenarioRow>('SELECT * FROM scenarios WHERE id = ?').get(id);
export const getRun = (db: Db, id: number) => db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
export const getFrontier = (db: Db, id: number) => db.prepare<[number], FrontierRow>('SELECT * FROM frontiers WHERE id = ?').get(id);

/** A user's queued or running solves, runs and frontiers together (the per-user limit counts both). */
export function activeSolves(db: Db, userId: number): number {
  return db.prepare<[number, number], { n: number }>(`SELECT (SELECT COUNT(*) FROM runs WHERE user_id = ? AND status IN ('queued', 'running'))
    + (SELECT COUNT(*) FROM frontiers WHERE user_id = ? AND status IN ('queued', 'running')) AS n`).get(userId, userId)?.n ?? 0;
}

export function datasetFiles(db: Db, datasetId: number): DatasetFileRow[] {
  return db.prepare<[number], DatasetFileRow>('SELECT name, sha256, content FROM dataset_files WHERE dataset_id = ? ORDER BY name').all(datasetId);
}

/** The adopted run of a dataset, if any (at most one: adoption is the county's decision). */
export function adoptedRunOfDataset(db: Db, datasetId: number): number | undefined {
  return db.prepare<[number], { id: number }>('SELECT id FROM runs WHERE dataset_id = ? AND adopted_at IS NOT NULL').get(datasetId)?.id;
}
