// Login, logout, who am I, and changing one's own password.
import { z } from 'zod';
import {
  clearSessionCookie, createSession, decoy, deleteSession, hashPassword, SESSION_COOKIE, setSessionCookie, userByName, verifyPassword,
} from '../auth.ts';
import { ROLES, logActivity, sha256 } from '../db.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema } from './http.ts';

export const sessionUserSchema = z.object({
  id: z.number().int(), username: z.string(), role: z.enum(ROLES), must_change_password: z.boolean(),
});
export const passwordSchema = z.string().min(10, '密码至少10个字符').max(200);

export function sessionRoutes(app: App, { db, secureCookies }: Deps): void {
  app.post('/api/session', {
    config: { access: 'public' },
    schema: {
      tags: ['session'], summary: '登录（设置 HttpOnly 会话 cookie sid）',
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
      response: { 200: z.object({ user: sessionUserSchema }), 401: errorSchema },
    },
  }, async (req, reply) => {
    const row = userByName(db, req.body.username);
    // Same cost whether or not the user exists: timing does not reveal user names.
    const ok = await verifyPassword(req.body.password, row?.password_hash ?? (await decoy()));
    if (!row || !ok || row.disabled === 1) throw new ApiError(401, '用户名或密码错误');
    setSessionCookie(reply, createSession(db, row.id), secureCookies);
    logActivity(db, { userId: row.id, action: 'session.create', entity: 'user', entityId: row.id });
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
    if (token) deleteSession(db, token);
    clearSessionCookie(reply, secureCookies);
    logActivity(db, { userId: req.user!.id, action: 'session.delete', entity: 'user', entityId: req.user!.id });
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
    const row = userByName(db, user.username);
    if (!row || !(await verifyPassword(req.body.current_password, row.password_hash))) throw new ApiError(400, '当前密码不正确');
    if (req.body.new_password === req.body.current_password) throw new ApiError(400, '新密码不能与当前密码相同');
    const hash = await hashPassword(req.body.new_password);
    db.transaction(() => {
      db.prepare('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?').run(hash, user.id);
      // Other sessions of this user end: a changed password should lock out whoever else had it.
      const token = req.cookies[SESSION_COOKIE];
      db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?').run(user.id, token ? sha256(token) : '');
      logActivity(db, { userId: user.id, action: 'user.password', entity: 'user', entityId: user.id });
    })();
    return reply.code(204).send(null);
  });
}
