// The account lockout, kept in the database (it outlives restarts, unlike the back-off in
// login-throttle.ts): LOCK_AFTER wrong passwords in a row lock the user until an admin unlocks
// them (PATCH /api/users/:id `locked: false`, or a password reset), or, when no admin can log
// in, `lungang unlock <username>` on the server.
import { type Db, logActivity } from './db.ts';

export const LOCK_AFTER = 10;

/** Counts a wrong password; true when this one locked the account. */
export function recordWrongPassword(db: Db, userId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const row = await tx.get<{ failed_logins: number; locked: number }>(
      'UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins, locked', userId);
    if (!row || row.locked === 1 || row.failed_logins < LOCK_AFTER) return false;
    await tx.run('UPDATE users SET locked = 1 WHERE id = ?', userId);
    await logActivity(tx, { userId: null, action: 'session.lockout', entity: 'user', entityId: userId, details: { failed_logins: row.failed_logins } });
    return true;
  });
}

/** After a successful login, and when an admin unlocks. */
export async function clearFailures(db: Db, userId: number): Promise<void> {
  await db.run('UPDATE users SET failed_logins = 0, locked = 0 WHERE id = ?', userId);
}

/** `lungang unlock <username>`: the way back in when the locked user is the only admin. */
export async function unlockByName(db: Db, username: string): Promise<boolean> {
  const id = (await db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', username))?.id;
  if (id === undefined) return false;
  await db.transaction(async (tx) => {
    await clearFailures(tx, id);
    await logActivity(tx, { userId: null, action: 'user.update', entity: 'user', entityId: id, details: { unlocked: true, command_line: true } });
  });
  return true;
}
