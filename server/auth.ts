// Users, passwords, sessions and the role check every /api route goes through.
//
// - Passwords: scrypt (node:crypto, runs on libuv's thread pool, so logins never block the
//   event loop), random salt per user, parameters stored with the hash so they can be raised.
// - Sessions: a random 256-bit token in the `sid` cookie (HttpOnly; SameSite=Strict; Path=/);
//   only its SHA-256 is stored, so a copy of the database does not hand out live sessions.
// - Access: every route declares `config.access`; a route that forgets is admin-only (deny by
//   default). 401 when not logged in, 403 when the role may not do this.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Db, type Role, type UserRow, logActivity, now } from './db.ts';
import { sha256 } from './hashes.ts';

export type Access = 'public' | 'session' | 'read' | 'edit' | 'notes' | 'compare' | 'adopt' | 'audit' | 'activity' | 'admin';

/** Who may do what (README "Roles"): planners edit, leaders compare and adopt, auditors audit. */
export const ACCESS: Record<Exclude<Access, 'public' | 'session'>, readonly Role[]> = {
  read: ['admin', 'planner', 'leader', 'auditor'],
  edit: ['admin', 'planner'],
  /** Scenario notes: planners explain a scenario, leaders annotate it when they compare. */
  notes: ['admin', 'planner', 'leader'],
  compare: ['admin', 'leader'],
  adopt: ['admin', 'leader'],
  audit: ['admin', 'auditor'],
  activity: ['admin', 'auditor'],
  admin: ['admin'],
};

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  must_change_password: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export const SESSION_COOKIE = 'sid';
export const SESSION_HOURS = 12;

// ---------------------------------------------------------------------------------------------
// Passwords

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

/** A hash no password matches: lets a login for an unknown user cost as much as a real one. */
let decoyHash: Promise<string> | undefined;
export const decoy = (): Promise<string> => (decoyHash ??= hashPassword(randomBytes(16).toString('hex')));

// ---------------------------------------------------------------------------------------------
// Users

/**
 * The new user's id; undefined when the name is taken. The UNIQUE constraint decides, not an
 * earlier lookup: two concurrent creations of one name (a password hash is awaited) cannot both pass.
 */
export async function createUser(db: Db, u: { username: string; role: Role; password: string; mustChange?: boolean }): Promise<number | undefined> {
  const hash = await hashPassword(u.password);
  return (await db.get<{ id: number }>(`INSERT INTO users (username, role, password_hash, must_change_password, created_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (username) DO NOTHING RETURNING id`, u.username, u.role, hash, u.mustChange ? 1 : 0, now()))?.id;
}

export const userByName = (db: Db, username: string) =>
  db.get<UserRow>('SELECT * FROM users WHERE username = ?', username);

/**
 * First start: creates the `admin` user when there are no users. With a password given (from
 * LUNGANG_ADMIN_PASSWORD) that is the password; otherwise a random one-time password is
 * returned for the caller to print once, and it must be changed at first login.
 */
export async function ensureAdmin(db: Db, password?: string): Promise<{ created: boolean; oneTimePassword?: string }> {
  const count = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))?.n ?? 0;
  if (count > 0) return { created: false };
  const oneTime = password ? undefined : randomBytes(12).toString('base64url');
  const id = await createUser(db, { username: 'admin', role: 'admin', password: password ?? oneTime!, mustChange: !password });
  // Another process sharing the database (PostgreSQL) created it first.
  if (id === undefined) return { created: false };
  await logActivity(db, { userId: null, action: 'user.create', entity: 'user', entityId: id, details: { role: 'admin', first_start: true } });
  return oneTime ? { created: true, oneTimePassword: oneTime } : { created: true };
}

// ---------------------------------------------------------------------------------------------
// Sessions

export async function createSession(db: Db, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const t = Date.now();
  await db.run('DELETE FROM sessions WHERE expires_at < ?', new Date(t).toISOString());
  await db.run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    sha256(token), userId, new Date(t).toISOString(), new Date(t + SESSION_HOURS * 3600_000).toISOString());
  return token;
}

export async function sessionUser(db: Db, token: string): Promise<SessionUser | null> {
  const row = await db.get<UserRow>(`SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`, sha256(token), now());
  return row ? { id: row.id, username: row.username, role: row.role, must_change_password: row.must_change_password === 1 } : null;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE token_hash = ?', sha256(token));
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure, maxAge: SESSION_HOURS * 3600 });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure });
}

// ---------------------------------------------------------------------------------------------
// Role check and masking

const ROLE_ZH: Record<Role, string> = { admin: '管理员', planner: '规划员', leader: '领导', auditor: '审核员' };

/** Resolves the session and checks the route's declared access; registered before all routes. */
export function registerAccessControl(app: FastifyInstance, db: Db): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // Only API routes are guarded (pages, /docs and static files are public). Unknown /api paths
    // match no API route and go on to the 404 handler.
    if (req.is404 || !req.routeOptions.url?.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    req.user = token ? await sessionUser(db, token) : null;
    const access = req.routeOptions.config.access ?? 'admin';
    if (access === 'public') return;
    if (!req.user) return reply.code(401).send({ error: '请先登录' });
    if (access === 'session') return;
    if (req.user.must_change_password) return reply.code(403).send({ error: '请先修改一次性密码（PUT /api/session/password）' });
    if (!ACCESS[access].includes(req.user.role)) {
      return reply.code(403).send({ error: `当前角色（${ROLE_ZH[req.user.role]}）无权执行此操作` });
    }
  });
}

/** 张三 → 张**: the auditor role sees no names (length hidden too). */
export const maskName = (name: string): string => `${[...name][0] ?? ''}**`;

/** How names appear to this user. */
export const nameFor = (user: SessionUser | null) => (name: string): string => (user?.role === 'auditor' ? maskName(name) : name);
