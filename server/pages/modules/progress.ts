/** Which modules a student has opened: the simplest honest measure of reading progress. */
import { z } from "zod";
import type { Db } from "../../db/database";
import { queryValues } from "../../db/query";

export function recordVisit(db: Db, userId: number, moduleId: string): void {
  db.prepare("INSERT OR IGNORE INTO module_visits (user_id, module_id) VALUES (?, ?)").run(userId, moduleId);
}

export function visitedModuleIds(db: Db, userId: number): Set<string> {
  return new Set(queryValues(db, "SELECT module_id FROM module_visits WHERE user_id = ?", [userId], z.string()));
}
