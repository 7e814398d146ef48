/** SQL for manual rubric marks: which items were applied to a submission, by whom, with what comment. */
import type { Db } from "../db/database";

export interface ManualMark {
  id: number;
  submissionId: number;
  itemId: string;
  comment: string;
  appliedBy: number;
  appliedByName: string;
  appliedAt: string;
}

interface MarkRow {
  id: number;
  submission_id: number;
  item_id: string;
  comment: string;
  applied_by: number;
  applied_by_name: string;
  applied_at: string;
}

const toMark = (row: MarkRow): ManualMark => ({
  id: row.id,
  submissionId: row.submission_id,
  itemId: row.item_id,
  comment: row.comment,
  appliedBy: row.applied_by,
  appliedByName: row.applied_by_name,
  appliedAt: row.applied_at,
});

const selectActive = `
  SELECT m.*, u.name AS applied_by_name FROM manual_marks m JOIN users u ON u.id = m.applied_by
  WHERE m.removed_at IS NULL`;

export function activeMarks(db: Db, submissionId: number): ManualMark[] {
  return (db.prepare(`${selectActive} AND m.submission_id = ? ORDER BY m.id`).all(submissionId) as MarkRow[]).map(toMark);
}

/** Every active mark in the course, for computing all final grades in one pass. */
export function allActiveMarks(db: Db): ManualMark[] {
  return (db.prepare(`${selectActive} ORDER BY m.id`).all() as MarkRow[]).map(toMark);
}

export function findActiveMark(db: Db, markId: number): ManualMark | undefined {
  const row = db.prepare(`${selectActive} AND m.id = ?`).get(markId) as MarkRow | undefined;
  return row && toMark(row);
}

export function insertMark(db: Db, input: { submissionId: number; itemId: string; comment: string; userId: number }): number {
  const info = db
    .prepare("INSERT INTO manual_marks (submission_id, item_id, comment, applied_by) VALUES (?, ?, ?, ?)")
    .run(input.submissionId, input.itemId, input.comment, input.userId);
  return Number(info.lastInsertRowid);
}

/** Removal keeps the row (stamped) so the history of what was applied survives. */
export function stampMarkRemoved(db: Db, markId: number, userId: number): void {
  db.prepare("UPDATE manual_marks SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), removed_by = ? WHERE id = ? AND removed_at IS NULL").run(
    userId,
    markId,
  );
}
