// The embedded back end (the default): one SQLite file through better-sqlite3 (WAL), behind the
// async Db interface of db.ts, with its schema migrations. better-sqlite3 is synchronous; every
// statement is an indexed lookup or a small write, microseconds on the event loop.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Db, Param } from './db.ts';
import { MIGRATIONS } from './schema.ts';

/** Opens (creating and migrating) the SQLite database at `path` (':memory:' for none on disk). */
export function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the
  // last commits, which is acceptable for a planning tool and keeps writes fast.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  migrate(raw);
  return new SqliteDb(raw);
}

function migrate(raw: Database.Database): void {
  const version = Number(raw.pragma('user_version', { simple: true }));
  for (let v = version; v < MIGRATIONS.length; v++) {
    raw.transaction(() => {
      raw.exec(MIGRATIONS[v]!);
      raw.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/**
 * One connection shared by every request. A transaction spans awaits (the Db interface is async
 * for PostgreSQL's sake), so while one is open every other statement waits for it to end: another
 * request's write must not land inside it, nor be rolled back with it.
 */
class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private open: Promise<void> | null = null;

  constructor(private readonly raw: Database.Database) {}

  async get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    await this.idle();
    return this.statement(sql).get(...params) as T | undefined;
  }

  async all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    await this.idle();
    return this.statement(sql).all(...params) as T[];
  }

  async run(sql: string, ...params: Param[]): Promise<number> {
    await this.idle();
    return this.statement(sql).run(...params).changes;
  }

  async insert(sql: string, ...params: Param[]): Promise<number> {
    return (await this.get<{ id: number }>(`${sql} RETURNING id`, ...params))!.id;
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    await this.idle();
    let end!: () => void;
    this.open = new Promise((resolve) => { end = resolve; });
    const tx = new SqliteTx(this);
    try {
      this.raw.exec('BEGIN IMMEDIATE');
      const value = await fn(tx);
      this.raw.exec('COMMIT');
      return value;
    } catch (err) {
      if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
      throw err;
    } finally {
      tx.closed = true;
      this.open = null;
      end();
    }
  }

  /** Changes only when another connection commits (the sqlite3 tool, a second process). */
  async dataVersion(): Promise<string> {
    await this.idle();
    return this.version();
  }

  version(): string {
    return String((this.statement('PRAGMA data_version').get() as { data_version: number }).data_version);
  }

  async close(): Promise<void> {
    await this.idle();
    this.raw.close();
  }

  /**
   * Statements are prepared once per SQL text: the texts are few and fixed, except the long
   * multi-row inserts of uploads (their length varies with the rows), which are not kept.
   */
  statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s) return s;
    s = this.raw.prepare(sql);
    if (sql.length < 2000) this.statements.set(sql, s);
    return s;
  }

  private async idle(): Promise<void> {
    while (this.open) await this.open;
  }
}

/** The statements of one open transaction: they run at once (the transaction holds the connection). */
class SqliteTx implements Db {
  readonly dialect = 'sqlite' as const;
  closed = false;
  constructor(private readonly db: SqliteDb) {}
  private stmt(sql: string): Database.Statement {
    if (this.closed) throw new Error('transaction already ended');
    return this.db.statement(sql);
  }
  async get<T>(sql: string, ...params: Param[]) { return this.stmt(sql).get(...params) as T | undefined; }
  async all<T>(sql: string, ...params: Param[]) { return this.stmt(sql).all(...params) as T[]; }
  async run(sql: string, ...params: Param[]) { return this.stmt(sql).run(...params).changes; }
  async insert(sql: string, ...params: Param[]) { return (this.stmt(`${sql} RETURNING id`).get(...params) as { id: number }).id; }
  /** Nested: part of the open transaction. */
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> { return fn(this); }
  async dataVersion() { return this.db.version(); }
  close(): Promise<void> { throw new Error('not inside a transaction'); }
}
