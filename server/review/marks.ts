/** SQL for manual rubric marks: which items were applied to a submission, by whom, with what comment. */
import { z } from "zod";
import type { Db } from "../db/database";
import { camelRow, queryRow, queryRows } from "../db/query";

export interface ManualMark {
  id: number;
  submissionId: number;
  itemId: string;
  comment: string;
  appliedBy: number;
  appliedByName: string;
  appliedAt: string;
}

const markRow: z.ZodType<ManualMark> = camelRow({
  id: z.number(),
  submission_id: z.number(),
  item_id: z.string(),
  comment: z.string(),
  applied_by: z.number(),
  applied_by_name: z.string(),
  applied_at: z.string(),
});

const selectActive = `
  SELECT m.*, u.name AS applied_by_name FROM manual_marks m JOIN users u ON u.id = m.applied_by
  WHERE m.removed_at IS NULL`;

export function activeMarks(db: Db, submissionId: number): ManualMark[] {
  return queryRows(db, `${selectActive} AND m.submission_id = ? ORDER BY m.id`, [submissionId], markRow);
}

/** Every active mark in the course, for computing all final grades in one pass. */
export function allActiveMarks(db: Db): ManualMark[] {
  return queryRows(db, `${selectActive} ORDER BY m.id`, [], markRow);
}

export function findActiveMark(db: Db, markId: number): ManualMark | undefined {
  return queryRow(db, `${selectActive} AND m.id = ?`, [markId], markRow);
}

export function insertMark(
  db: Db,
  input: { submissionId: number; itemId: string; comment: string; userId: number },
): number {
  const info = db
    .prepare("INSERT INTO manual_marks (submission_id, item_id, comment, applied_by) VALUES (?, ?, ?, ?)")
    .run(input.submissionId, input.itemId, input.comment, input.userId);
  return Number(info.lastInsertRowid);
}

/** Removal keeps the row (stamped) so the history of what was applied survives. */
export function stampMarkRemoved(db: Db, markId: number, userId: number): void {
  db.prepare(
    "UPDATE manual_marks SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), removed_by = ? WHERE id = ? AND removed_at IS NULL",
  ).run(userId, markId);
}
