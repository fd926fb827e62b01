// The database schema, as migrations in SQLite's dialect. SQLite runs them as they are
// (db-sqlite.ts); PostgreSQL runs them translated (db-postgres.ts postgresDdl), so both back ends
// always have the same tables, columns and rules. Write new migrations in the subset both share
// (INTEGER, TEXT, BLOB, CHECK, REFERENCES, ALTER TABLE … ADD COLUMN) or extend that translation.
// Each entry migrates from version i to i + 1 (SQLite: PRAGMA user_version; PostgreSQL: table
// schema_version). Append, never edit.
// Ids are AUTOINCREMENT: an id is never reused after a delete, so the activity log's ids and any
// client's links keep meaning one thing.
export const MIGRATIONS: string[] = [
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
  // Lost-worker recovery in production mode (heartbeat.ts): a running solve's lease (the token its
  // attempt writes under) and heartbeat (the database's clock); best-achievable claims counted, so
  // a job that keeps losing its worker ends failed.
  `ALTER TABLE runs ADD COLUMN lease TEXT;
   ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
   ALTER TABLE frontiers ADD COLUMN lease TEXT;
   ALTER TABLE frontiers ADD COLUMN heartbeat_at TEXT;
   ALTER TABLE run_bounds ADD COLUMN lease TEXT;
   ALTER TABLE run_bounds ADD COLUMN heartbeat_at TEXT;
   ALTER TABLE run_bounds ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;`,
];
