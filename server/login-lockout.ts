// The account lockout, kept in the database (it outlives restarts, unlike the back-off in
// login-throttle.ts): LOCK_AFTER wrong passwords in a row lock the user until an admin unlocks
// them (PATCH /api/users/:id `locked: false`, or a password reset), or, when no admin can log
// in, `lungang unlock <username>` on the server.
import { type Db, logActivity } from './db.ts';

export const LOCK_AFTER = 10;

/** Counts a wrong password; true when this one locked the account. */
export function recordWrongPassword(db: Db, userId: number): boolean {
  return db.transaction(() => {
    const row = db.prepare<[number], { failed_logins: number; locked: number }>(
      'UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins, locked').get(userId);
    if (!row || row.locked === 1 || row.failed_logins < LOCK_AFTER) return false;
    db.prepare('UPDATE users SET locked = 1 WHERE id = ?').run(userId);
    logActivity(db, { userId: null, action: 'session.lockout', entity: 'user', entityId: userId, details: { failed_logins: row.failed_logins } });
    return true;
  })();
}

/** After a successful login, and when an admin unlocks. */
export function clearFailures(db: Db, userId: number): void {
  db.prepare('UPDATE users SET failed_logins = 0, locked = 0 WHERE id = ?').run(userId);
}

/** `lungang unlock <username>`: the way back in when the locked user is the only admin. */
export function unlockByName(db: Db, username: string): boolean {
  const id = db.prepare<[string], { id: number }>('SELECT id FROM users WHERE username = ?').get(username)?.id;
  if (id === undefined) return false;
  db.transaction(() => {
    clearFailures(db, id);
    logActivity(db, { userId: null, action: 'user.update', entity: 'user', entityId: id, details: { unlocked: true, command_line: true } });
  })();
  return true;
}
