// Login (with the back-off of login-throttle.ts and the lockout of login-lockout.ts), logout, who am
// I, and changing one's own password.
import { z } from 'zod';
import {
  clearSessionCookie, createSession, decoy, deleteSession, hashPassword, SESSION_COOKIE, setSessionCookie, userByName, verifyPassword,
} from '../auth.ts';
import { ROLES, logActivity } from '../db.ts';
import { sha256 } from '../hashes.ts';
import { clearFailures, recordWrongPassword } from '../login-lockout.ts';
import { throttleKeys } from '../login-throttle.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema } from './http.ts';

export const sessionUserSchema = z.object({
  id: z.number().int(), username: z.string(), role: z.enum(ROLES), must_change_password: z.boolean(),
});
export const passwordSchema = z.string().min(10, '密码至少10个字符').max(200);

type FailReason = 'password' | 'unknown_user' | 'disabled' | 'locked' | 'throttled';

export function sessionRoutes(app: App, { db, secureCookies, loginThrottle }: Deps): void {
  app.post('/api/session', {
    config: { access: 'public' },
    schema: {
      tags: ['session'], summary: '登录（设置 HttpOnly 会话 cookie sid）；多次失败后须等待（429）或账号被锁定（423）',
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
      response: { 200: z.object({ user: sessionUserSchema }), 401: errorSchema, 423: errorSchema, 429: errorSchema },
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const keys = throttleKeys(username, req.ip);
    const row = await userByName(db, username);
    // The user's id only: never the typed name (it may be a password typed into the wrong box) nor the address.
    const failed = (reason: FailReason) =>
      (logActivity(db, { userId: null, action: 'session.fail', entity: 'user', entityId: row?.id ?? null, details: { reason } }));

    const refusal = loginThrottle.check(keys);
    if (refusal) {
      // Refused without looking at the password; logged once per back-off, so hammering does not flood the log.
      if (refusal.first) await failed('throttled');
      reply.header('retry-after', String(refusal.retryAfter));
      throw new ApiError(429, `登录失败次数过多，请 ${refusal.retryAfter} 秒后再试`);
    }
    // Counted before the password is checked, so guesses sent in parallel are throttled too; a success clears it.
    loginThrottle.fail(keys);
    if (row?.locked === 1) {
      await failed('locked');
      throw new ApiError(423, '账号因多次登录失败已锁定，请联系管理员解锁');
    }
    // Same cost whether or not the user exists: timing does not reveal user names.
    const ok = await verifyPassword(password, row?.password_hash ?? (await decoy()));
    if (!row || !ok || row.disabled === 1) {
      await failed(!row ? 'unknown_user' : !ok ? 'password' : 'disabled');
      if (row && !ok) await recordWrongPassword(db, row.id);
      throw new ApiError(401, '用户名或密码错误');
    }
    loginThrottle.clear(keys);
    await clearFailures(db, row.id);
    setSessionCookie(reply, await createSession(db, row.id), secureCookies);
    await logActivity(db, { userId: row.id, action: 'session.create', entity: 'user', entityId: row.id });
    return { user: { id: row.id, username: row.username, role: row.role, must_change_password: row.must_change_password === 1 } };
  });

  app.get('/api/session', {
    config: { access: 'session' },
    schema: { tags: ['session'], summary: '当前用户', response: { 200: z.object({ user: sessionUserSchema }), ...authErrors } },
  }, async (req) => ({ user: req.user! }));

  app.delete('/api/session', {
    config: { access: 'session' },
    schema: { tags: ['session'], summary: '退出登录', response: { 204: z.null(), ...authErrors } },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await deleteSession(db, token);
    clearSessionCookie(reply, secureCookies);
    await logActivity(db, { userId: req.user!.id, action: 'session.delete', entity: 'user', entityId: req.user!.id });
    return reply.code(204).send(null);
  });

  app.put('/api/session/password', {
    config: { access: 'session' },
    schema: {
      tags: ['session'], summary: '修改本人密码（一次性密码必须先修改）',
      body: z.object({ current_password: z.string().min(1).max(200), new_password: passwordSchema }),
      response: { 204: z.null(), 400: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const user = req.user!;
    const row = await userByName(db, user.username);
    if (!row || !(await verifyPassword(req.body.current_password, row.password_hash))) throw new ApiError(400, '当前密码不正确');
    if (req.body.new_password === req.body.current_password) throw new ApiError(400, '新密码不能与当前密码相同');
    const hash = await hashPassword(req.body.new_password);
    await db.transaction(async (tx) => {
      await tx.run('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?', hash, user.id);
      // Other sessions of this user end: a changed password should lock out whoever else had it.
      const token = req.cookies[SESSION_COOKIE];
      await tx.run('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?', user.id, token ? sha256(token) : '');
      await logActivity(tx, { userId: user.id, action: 'user.password', entity: 'user', entityId: user.id });
    });
    return reply.code(204).send(null);
  });
}
