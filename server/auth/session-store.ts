/**
 * express-session store on the app's own SQLite file, so sessions survive a restart and live beside
 * the data they guard. Expired rows are swept lazily on write.
 */
import session from "express-session";
import type { Db } from "../db/database";

type SessionData = session.SessionData;
type Callback<T = void> = (err?: unknown, value?: T) => void;

const DAY_MS = 24 * 60 * 60 * 1000;

export class SqliteSessionStore extends session.Store {
  private lastSweep = 0;

  constructor(private readonly db: Db) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    try {
      const row = this.db
        .prepare("SELECT data FROM sessions WHERE sid = ? AND expires_at > ?")
        .get(sid, Date.now()) as { data: string } | undefined;
      callback(null, row ? (JSON.parse(row.data) as SessionData) : null);
    } catch (err) {
      callback(err);
    }
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    try {
      this.db
        .prepare(
          `INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
        )
        .run(sid, JSON.stringify(data), expiryOf(data));
      this.sweep();
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override destroy(sid: string, callback?: Callback): void {
    try {
      this.db.prepare("DELETE FROM sessions WHERE sid = ?").run(sid);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override touch(sid: string, data: SessionData, callback?: Callback): void {
    try {
      this.db.prepare("UPDATE sessions SET expires_at = ? WHERE sid = ?").run(expiryOf(data), sid);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  private sweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    this.db.prepare("DELETE FROM sessions WHERE expires_at <= ?").run(now);
  }
}

function expiryOf(data: SessionData): number {
  const expires = data.cookie?.expires;
  return expires ? new Date(expires).getTime() : Date.now() + DAY_MS;
}
