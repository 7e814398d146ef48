/**
 * Counts failed logins per account and per address in SQLite, so guessing is slowed across
 * restarts and across accounts. A success clears the account's count; the address keeps its own.
 */
import type { Db } from "../db/database";

export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
}

export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly limits: ThrottleLimits,
  ) {}

  private keys(email: string, address: string): string[] {
    return [`account:${email.trim().toLowerCase()}`, `address:${address}`];
  }

  /** Minutes until another try is allowed, or 0 when the login may be attempted now. */
  retryAfterMinutes(email: string, address: string, now = Date.now()): number {
    const since = now - this.limits.windowMs;
    let waitMs = 0;
    for (const key of this.keys(email, address)) {
      const row = this.db
        .prepare("SELECT count(*) AS n, min(at) AS oldest FROM login_failures WHERE key = ? AND at > ?")
        .get(key, since) as { n: number; oldest: number | null };
      if (row.n >= this.limits.maxFailures && row.oldest !== null) {
        waitMs = Math.max(waitMs, row.oldest + this.limits.windowMs - now);
      }
    }
    return waitMs > 0 ? Math.ceil(waitMs / 60_000) : 0;
  }

  recordFailure(email: string, address: string, now = Date.now()): void {
    const insert = this.db.prepare("INSERT INTO login_failures (key, at) VALUES (?, ?)");
    this.db.transaction(() => {
      for (const key of this.keys(email, address)) insert.run(key, now);
      this.db.prepare("DELETE FROM login_failures WHERE at <= ?").run(now - this.limits.windowMs);
    })();
  }

  recordSuccess(email: string): void {
    this.db.prepare("DELETE FROM login_failures WHERE key = ?").run(`account:${email.trim().toLowerCase()}`);
  }
}
