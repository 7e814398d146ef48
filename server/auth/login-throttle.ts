/**
 * The sign-in policy: stop guessing without handing an attacker a way to lock the owner out.
 *
 * Every attempt is *reserved* before the password hash runs: one IMMEDIATE transaction checks each
 * limit and records the attempt as a failure, so a burst of simultaneous requests is counted as it
 * arrives, not after the slow hash (60 at once were all evaluated when the check and the record were
 * on either side of it). A success takes its reservation back.
 *
 * An attempt from a browser that signed in to this account before (a signed "known device" cookie,
 * known-device.ts) is limited only by its own count, which nobody without the cookie can raise. Any
 * other attempt passes three limits:
 * - account and address: `maxFailures` in `windowMs`; one address guessing one account.
 * - address: `addressMaxFailures` in `windowMs`, across accounts; high, because a lab or a campus
 *   NAT puts a whole class behind one address.
 * - account: `accountFreeFailures` a day from anywhere, then each further attempt waits twice as long
 *   after the last failure as the one before (1 s, 2 s, 4 s … up to `accountMaxDelayMs`): many
 *   addresses together get about one guess per `accountMaxDelayMs`, and the owner at most that wait.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow } from "../db/query";

const countRow = z.object({ n: z.number(), oldest: z.number().nullable(), newest: z.number().nullable() });

export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
  addressMaxFailures: number;
  accountFreeFailures: number;
  /** The first of the growing delays; each later one is twice the one before. */
  accountFirstDelayMs: number;
  accountMaxDelayMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface LoginAttempt {
  email: string;
  address: string;
  /** The known-device id from a valid cookie for this account, if any. */
  knownDevice?: string;
}

export type Reservation = { ok: true; id: string } | { ok: false; retryAfterMs: number };

export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly limits: ThrottleLimits,
  ) {}

  private countSince(key: string, since: number): { n: number; oldest: number | null; newest: number | null } {
    const sql =
      "SELECT count(*) AS n, min(at) AS oldest, max(at) AS newest FROM login_failures WHERE key = ? AND at > ?";
    // An aggregate without GROUP BY always returns its one row.
    return queryRow(this.db, sql, [key, since], countRow) ?? { n: 0, oldest: null, newest: null };
  }

  /** How long until the key allows another attempt under a count-in-window limit; 0 when it does now. */
  private windowWait(key: string, max: number, now: number): number {
    const { n, oldest } = this.countSince(key, now - this.limits.windowMs);
    return n >= max && oldest !== null ? oldest + this.limits.windowMs - now : 0;
  }

  private accountWait(key: string, now: number): number {
    const { n, newest } = this.countSince(key, now - DAY_MS);
    if (n < this.limits.accountFreeFailures || newest === null) return 0;
    const exponent = Math.min(n - this.limits.accountFreeFailures, 30);
    const delay = Math.min(this.limits.accountMaxDelayMs, this.limits.accountFirstDelayMs * 2 ** exponent);
    return Math.max(0, newest + delay - now);
  }

  /** Checks every limit and, when all allow it, records the attempt as a failure; atomic. */
  reserve(attempt: LoginAttempt, now = Date.now()): Reservation {
    const { email, address, knownDevice } = attempt;
    const account = normalize(email);
    return this.db
      .transaction((): Reservation => {
        let keys: string[];
        let wait: number;
        if (knownDevice) {
          keys = [`device:${account}|${knownDevice}`];
          wait = this.windowWait(keys[0]!, this.limits.maxFailures, now);
        } else {
          const pair = `pair:${account}|${address}`;
          const byAddress = `address:${address}`;
          const byAccount = `account:${account}`;
          keys = [pair, byAddress, byAccount];
          wait = Math.max(
            this.windowWait(pair, this.limits.maxFailures, now),
            this.windowWait(byAddress, this.limits.addressMaxFailures, now),
            this.accountWait(byAccount, now),
          );
        }
        if (wait > 0) return { ok: false, retryAfterMs: wait };
        const id = randomUUID();
        const insert = this.db.prepare("INSERT INTO login_failures (key, at, attempt) VALUES (?, ?, ?)");
        for (const key of keys) insert.run(key, now, id);
        this.db.prepare("DELETE FROM login_failures WHERE at <= ?").run(now - DAY_MS);
        return { ok: true, id };
      })
      .immediate();
  }

  /**
   * The password was right: the reservation was not a failure, and the owner's own slips from this
   * address or device are forgiven. The account's and the address's other failures stay counted.
   */
  succeeded(reservationId: string, attempt: LoginAttempt): void {
    const account = normalize(attempt.email);
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM login_failures WHERE attempt = ?").run(reservationId);
      this.db
        .prepare("DELETE FROM login_failures WHERE key IN (?, ?)")
        .run(`pair:${account}|${attempt.address}`, `device:${account}|${attempt.knownDevice ?? ""}`);
    })();
  }
}

function normalize(email: string): string {
  return email.trim().toLowerCase();
}
