/** Which modules a student has opened: the simplest honest measure of reading progress. */
import type { Db } from "../../db/database";

export function recordVisit(db: Db, userId: number, moduleId: string): void {
  db.prepare("INSERT OR IGNORE INTO module_visits (user_id, module_id) VALUES (?, ?)").run(userId, moduleId);
}

export function visitedModuleIds(db: Db, userId: number): Set<string> {
  const ids = db.prepare("SELECT module_id FROM module_visits WHERE user_id = ?").pluck().all(userId) as string[];
  return new Set(ids);
}
