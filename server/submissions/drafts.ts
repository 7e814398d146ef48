/** One saved draft per student and exercise, so nothing typed is lost between visits. */
import { z } from "zod";
import type { Db } from "../db/database";
import { camelRow, jsonColumn, queryRow, queryValues } from "../db/query";

const draftRow = camelRow({ data: jsonColumn, updated_at: z.string() });

export function saveDraft(db: Db, userId: number, exerciseId: string, data: unknown): void {
  db.prepare(
    `INSERT INTO drafts (user_id, exercise_id, data) VALUES (?, ?, ?)
     ON CONFLICT (user_id, exercise_id) DO UPDATE SET data = excluded.data, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(userId, exerciseId, JSON.stringify(data));
}

export function loadDraft(
  db: Db,
  userId: number,
  exerciseId: string,
): { data: unknown; updatedAt: string } | undefined {
  return queryRow(
    db,
    "SELECT data, updated_at FROM drafts WHERE user_id = ? AND exercise_id = ?",
    [userId, exerciseId],
    draftRow,
  );
}

export function listDraftExerciseIds(db: Db, userId: number): Set<string> {
  return new Set(queryValues(db, "SELECT exercise_id FROM drafts WHERE user_id = ?", [userId], z.string()));
}
