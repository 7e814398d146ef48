import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { migrations as allMigrations, type Migration } from "./migrations";
import { queryValues } from "./query";

export type Db = Database.Database;

/** Where the course database lives inside DATA_DIR; the server and the CLI open the same file. */
export function databaseFile(config: { DATA_DIR: string }): string {
  return join(config.DATA_DIR, "flagship.db");
}

/** Opens (creating if needed) the SQLite file with WAL and foreign keys, then applies pending migrations. */
export function openDatabase(file: string, migrations: Migration[] = allMigrations): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  // Several processes (server, CLI) may touch the file at once; wait rather than fail on a lock.
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  migrate(db, migrations);
  return db;
}

/** Applies each migration not yet recorded, in id order, each inside its own transaction. */
export function migrate(db: Db, migrations: Migration[]): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const applied = new Set(queryValues(db, "SELECT id FROM schema_migrations", [], z.string()));
  const pending = [...migrations].sort((a, b) => a.id.localeCompare(b.id)).filter((m) => !applied.has(m.id));
  const record = db.prepare("INSERT INTO schema_migrations (id) VALUES (?)");
  for (const migration of pending) {
    const foreignKeys = db.pragma("foreign_keys", { simple: true }) === 1;
    // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it.
    if (migration.rebuildsReferencedTable && foreignKeys) db.pragma("foreign_keys = OFF");
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (migration.rebuildsReferencedTable) {
          const dangling = db.pragma("foreign_key_check") as unknown[];
          if (dangling.length > 0)
            throw new Error(
              `Migration ${migration.id} would leave ${dangling.length} dangling reference(s); nothing was changed.`,
            );
        }
        record.run(migration.id);
      })();
    } finally {
      if (migration.rebuildsReferencedTable && foreignKeys) db.pragma("foreign_keys = ON");
    }
  }
  return pending.map((m) => m.id);
}
