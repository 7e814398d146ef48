/** One saved draft per student and exercise, so nothing typed is lost between visits. */
import type { Db } from "../db/database";

export function saveDraft(db: Db, userId: number, exerciseId: string, data: unknown): void {
  db.prepare(
    `INSERT INTO drafts (user_id, exercise_id, data) VALUES (?, ?, ?)
     ON CONFLICT (user_id, exercise_id) DO UPDATE SET data = excluded.data, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(userId, exerciseId, JSON.stringify(data));
}

export function loadDraft(db: Db, userId: number, exerciseId: string): { data: unknown; updatedAt: string } | undefined {
  const row = db
    .prepare("SELECT data, updated_at FROM drafts WHERE user_id = ? AND exercise_id = ?")
    .get(userId, exerciseId) as { data: string; updated_at: string } | undefined;
  return row && { data: JSON.parse(row.data) as unknown, updatedAt: row.updated_at };
}

export function listDraftExerciseIds(db: Db, userId: number): Set<string> {
  return new Set(db.prepare("SELECT exercise_id FROM drafts WHERE user_id = ?").pluck().all(userId) as string[]);
}
