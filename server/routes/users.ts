// User management (admin only). Users are never shown password hashes; resetting a password
// makes it one-time again, lifts a login lockout and ends the user's sessions.
import { z } from 'zod';
import { createUser, hashPassword } from '../auth.ts';
import { type Db, ROLES, type UserRow, lockRows, logActivity } from '../db.ts';
import { clearFailures } from '../login-lockout.ts';
import { userKey } from '../login-throttle.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema, idParams, notFound } from './http.ts';
import { passwordSchema } from './session.ts';

const userSchema = z.object({
  id: z.number().int(), username: z.string(), role: z.enum(ROLES), must_change_password: z.boolean(), disabled: z.boolean(), created_at: z.string(),
  /** Locked after too many wrong passwords (login-lockout.ts) until an admin unlocks. */
  locked: z.boolean(),
  /** Wrong passwords since the last successful login. */
  failed_logins: z.number().int(),
});
export type UserView = z.infer<typeof userSchema>;
const view = (u: UserRow): UserView => ({
  id: u.id, username: u.username, role: u.role, must_change_password: u.must_change_password === 1, disabled: u.disabled === 1, created_at: u.created_at,
  locked: u.locked === 1, failed_logins: u.failed_logins,
});
const usernameSchema = z.string().regex(/^[A-Za-z0-9_.-]{2,64}$/, '用户名为2–64位字母、数字、下划线、点或连字符');

export function userRoutes(app: App, { db, loginThrottle }: Deps): void {
  const get = (id: number) => db.get<UserRow>('SELECT * FROM users WHERE id = ?', id);
  /** Active admins, counted in `tx` with their rows locked: two requests cannot each remove one of the last two. */
  const admins = async (tx: Db) => {
    await lockRows(tx, 'users', "role = 'admin' AND disabled = 0");
    return (await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0"))?.n ?? 0;
  };

  app.get('/api/users', {
    config: { access: 'admin' },
    schema: { tags: ['users'], summary: '用户列表', response: { 200: z.object({ items: z.array(userSchema) }), ...authErrors } },
  }, async () => ({ items: (await db.all<UserRow>('SELECT * FROM users ORDER BY id')).map(view) }));

  app.post('/api/users', {
    config: { access: 'admin' },
    schema: {
      tags: ['users'], summary: '新建用户（初始密码为一次性密码，首次登录须修改）',
      body: z.object({ username: usernameSchema, role: z.enum(ROLES), password: passwordSchema }),
      response: { 201: userSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const id = await createUser(db, { ...req.body, mustChange: true });
    if (id === undefined) throw new ApiError(409, '用户名已存在');
    await logActivity(db, { userId: req.user!.id, action: 'user.create', entity: 'user', entityId: id, details: { role: req.body.role } });
    return reply.code(201).send(view((await get(id))!));
  });

  app.patch('/api/users/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['users'], summary: '修改角色、重置密码、停用用户或解除登录锁定（locked: false；重置密码也会解锁）',
      params: idParams,
      body: z.object({
        role: z.enum(ROLES).optional(), password: passwordSchema.optional(), disabled: z.boolean().optional(),
        // Only lifting: a lock comes from failed logins; to keep someone out, disable them.
        locked: z.literal(false).optional(),
      }),
      response: { 200: userSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req) => {
    const u = await get(req.params.id);
    if (!u) throw notFound('用户');
    const { role, password, disabled, locked } = req.body;
    const losesAdmin = u.role === 'admin' && u.disabled === 0 && ((role !== undefined && role !== 'admin') || disabled === true);
    const hash = password === undefined ? undefined : await hashPassword(password);
    const unlock = locked === false || hash !== undefined;
    await db.transaction(async (tx) => {
      if (losesAdmin && await admins(tx) <= 1) throw new ApiError(409, '不能移除最后一名管理员');
      if (role !== undefined) await tx.run('UPDATE users SET role = ? WHERE id = ?', role, u.id);
      if (disabled !== undefined) await tx.run('UPDATE users SET disabled = ? WHERE id = ?', disabled ? 1 : 0, u.id);
      if (hash !== undefined) await tx.run('UPDATE users SET password_hash = ?, must_change_password = 1 WHERE id = ?', hash, u.id);
      if (unlock) await clearFailures(tx, u.id);
      // A new role, a reset password or disabling takes effect now, not at the next login (unlocking alone ends no session).
      if (role !== undefined || disabled !== undefined || hash !== undefined) await tx.run('DELETE FROM sessions WHERE user_id = ?', u.id);
      await logActivity(tx, {
        userId: req.user!.id, action: 'user.update', entity: 'user', entityId: u.id,
        details: {
          ...(role ? { role } : {}), ...(disabled !== undefined ? { disabled } : {}), password_reset: hash !== undefined,
          ...(unlock && u.locked === 1 ? { unlocked: true } : {}),
        },
      });
    });
    // The back-off of the name ends with the lock, so the user can log in at once.
    if (unlock) loginThrottle.clear([userKey(u.username)]);
    return view((await get(u.id))!);
  });

  app.delete('/api/users/:id', {
    config: { access: 'admin' },
    schema: { tags: ['users'], summary: '删除用户', params: idParams, response: { 204: z.null(), 404: errorSchema, 409: errorSchema, ...authErrors } },
  }, async (req, reply) => {
    const u = await get(req.params.id);
    if (!u) throw notFound('用户');
    if (u.id === req.user!.id) throw new ApiError(409, '不能删除自己');
    await db.transaction(async (tx) => {
      if (u.role === 'admin' && u.disabled === 0 && await admins(tx) <= 1) throw new ApiError(409, '不能删除最后一名管理员');
      await tx.run('DELETE FROM users WHERE id = ?', u.id);
      await logActivity(tx, { userId: req.user!.id, action: 'user.delete', entity: 'user', entityId: u.id });
    });
    return reply.code(204).send(null);
  });
}
