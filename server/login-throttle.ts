// Back-off for password guessing, in memory: consecutive failed logins per key (`user:<name>`,
// `ip:<address>`). The first FREE_FAILURES failures cost nothing; after that each attempt on the
// key waits 2^(n − FREE_FAILURES) seconds after the last failure (n failures so far), at most
// MAX_WAIT_MS. A success clears its keys. Memory stays bounded: keys idle for an hour are
// forgotten, and at MAX_KEYS the stalest keys go first.
//
// In memory on purpose: a restart forgets the back-off, but the lockout (login-lockout.ts) is in
// the database, so a restart does not give an attacker more than a few more guesses.

export const FREE_FAILURES = 3;
export const MAX_WAIT_MS = 15 * 60_000;
const IDLE_MS = 60 * 60_000;
const MAX_KEYS = 10_000;

interface Entry {
  failures: number;
  lastFailure: number;
  /** A refusal since the last failure was already reported (the activity log gets one per back-off). */
  refused: boolean;
}

export interface Refusal {
  /** Whole seconds until the key (the slowest of the keys) takes an attempt again. */
  retryAfter: number;
  /** The first refusal of this back-off on some key: worth an activity entry; repeats are not. */
  first: boolean;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** null when every key may try now; otherwise how long to wait. Checking is not a failure. */
  check(keys: readonly string[]): Refusal | null {
    const t = this.now();
    let waitMs = 0;
    let first = false;
    for (const key of keys) {
      const e = this.live(key, t);
      if (!e || e.failures < FREE_FAILURES) continue;
      const left = e.lastFailure + Math.min(MAX_WAIT_MS, 1000 * 2 ** (e.failures - FREE_FAILURES)) - t;
      if (left <= 0) continue;
      waitMs = Math.max(waitMs, left);
      if (!e.refused) first = true;
      e.refused = true;
    }
    return waitMs > 0 ? { retryAfter: Math.ceil(waitMs / 1000), first } : null;
  }

  fail(keys: readonly string[]): void {
    const t = this.now();
    for (const key of keys) {
      const e = this.live(key, t);
      // Re-inserted so the map's order is least recently failed first (evicted first).
      this.entries.delete(key);
      this.entries.set(key, { failures: (e?.failures ?? 0) + 1, lastFailure: t, refused: false });
    }
    this.evict(t);
  }

  clear(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private live(key: string, t: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && t - e.lastFailure > IDLE_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Oldest first: drops idle keys, then the stalest while over MAX_KEYS. */
  private evict(t: number): void {
    for (const [key, e] of this.entries) {
      if (t - e.lastFailure <= IDLE_MS && this.entries.size <= MAX_KEYS) break;
      this.entries.delete(key);
    }
  }
}

/** Names differing only in case share a key: a guesser gains nothing by changing case. */
export const userKey = (username: string): string => `user:${username.toLowerCase()}`;
export const throttleKeys = (username: string, ip: string): string[] => [userKey(username), `ip:${ip}`];
