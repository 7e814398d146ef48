/**
 * Forward-only migrations, named by timestamp and applied in order, each in its own transaction.
 * Never edit a migration that has shipped: add a new one. They live in code (not .sql files) so the
 * bundled server carries them without a files-on-disk lookup.
 */
export interface Migration {
  id: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    id: "20261128_0001_users_sessions",
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('student', 'ta', 'instructor')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );

      CREATE TABLE sessions (
        sid TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_expires_at ON sessions (expires_at);

      -- One row per failed login, keyed by account and by address, to throttle guessing.
      CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX login_failures_key_at ON login_failures (key, at);

      CREATE TABLE module_visits (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        module_id TEXT NOT NULL,
        first_visited_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (user_id, module_id)
      );
    `,
  },
];
