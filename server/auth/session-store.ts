/**
 * express-session store on the app's own SQLite file, so sessions survive a restart and live beside
 * the data they guard. Sessions are saved only once someone signs in (the login form's CSRF token
 * lives in a cookie); a session that holds no signed-in user anyway (what passport leaves behind
 * when signing out, say) is kept at most `anonymousTtlMs`, not the week a signed-in one lasts.
 * Expired rows are swept at most once a minute, on use and on a timer, so they go within minutes.
 */
import session from "express-session";
import type { Db } from "../db/database";
import { execute, jsonColumn, queryValue } from "../db/query";

type SessionData = session.SessionData;
type Callback<T = void> = (err?: unknown, value?: T) => void;

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60_000;

export interface SessionStoreOptions {
  anonymousTtlMs: number;
  now?: () => number;
}

export class SqliteSessionStore extends session.Store {
  private lastSweep = 0;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly options: SessionStoreOptions = { anonymousTtlMs: 10 * 60_000 },
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => {
      // The app may be gone (a test closed its database); the timer then has nothing to do.
      if (!this.db.open) return clearInterval(this.timer);
      this.sweep();
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    try {
      this.sweep();
      const data = queryValue(
        this.db,
        "SELECT data FROM sessions WHERE sid = ? AND expires_at > ?",
        [sid, this.now()],
        jsonColumn,
      );
      // What set() stored: express-session's own object, written by this store alone.
      callback(null, data === undefined ? null : (data as SessionData));
    } catch (err) {
      callback(err);
    }
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    try {
      execute(
        this.db,
        `INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
        [sid, JSON.stringify(data), this.expiryOf(data)],
      );
      this.sweep();
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override destroy(sid: string, callback?: Callback): void {
    try {
      execute(this.db, "DELETE FROM sessions WHERE sid = ?", [sid]);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override touch(sid: string, data: SessionData, callback?: Callback): void {
    try {
      execute(this.db, "UPDATE sessions SET expires_at = ? WHERE sid = ?", [this.expiryOf(data), sid]);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  /** Deletes expired rows; at most once a minute unless forced. Returns how many went. */
  sweep(force = false): number {
    const now = this.now();
    if (!force && now - this.lastSweep < SWEEP_EVERY_MS) return 0;
    this.lastSweep = now;
    return execute(this.db, "DELETE FROM sessions WHERE expires_at <= ?", [now]).changes;
  }

  private expiryOf(data: SessionData): number {
    const now = this.now();
    const expires = data.cookie?.expires;
    const cookieExpiry = expires ? new Date(expires).getTime() : now + DAY_MS;
    const signedIn = (data as { passport?: { user?: unknown } }).passport?.user !== undefined;
    return signedIn ? cookieExpiry : Math.min(cookieExpiry, now + this.options.anonymousTtlMs);
  }
}
