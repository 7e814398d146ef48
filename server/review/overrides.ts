/** SQL for score overrides: at most one active per submission; clearing stamps it, never deletes it. */
import type { Db } from "../db/database";

export interface Override {
  id: number;
  submissionId: number;
  score: number;
  reason: string;
  setBy: number;
  setByName: string;
  setAt: string;
}

interface OverrideRow {
  id: number;
  submission_id: number;
  score: number;
  reason: string;
  set_by: number;
  set_by_name: string;
  set_at: string;
}

const toOverride = (row: OverrideRow): Override => ({
  id: row.id,
  submissionId: row.submission_id,
  score: row.score,
  reason: row.reason,
  setBy: row.set_by,
  setByName: row.set_by_name,
  setAt: row.set_at,
});

const selectActive = `
  SELECT o.*, u.name AS set_by_name FROM grade_overrides o JOIN users u ON u.id = o.set_by
  WHERE o.cleared_at IS NULL`;

export function activeOverride(db: Db, submissionId: number): Override | undefined {
  const row = db.prepare(`${selectActive} AND o.submission_id = ?`).get(submissionId) as OverrideRow | undefined;
  return row && toOverride(row);
}

export function allActiveOverrides(db: Db): Override[] {
  return (db.prepare(selectActive).all() as OverrideRow[]).map(toOverride);
}

export function stampOverrideCleared(db: Db, submissionId: number, userId: number): void {
  db.prepare(
    "UPDATE grade_overrides SET cleared_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), cleared_by = ? WHERE submission_id = ? AND cleared_at IS NULL",
  ).run(userId, submissionId);
}

export function insertOverride(db: Db, input: { submissionId: number; score: number; reason: string; userId: number }): void {
  db.prepare("INSERT INTO grade_overrides (submission_id, score, reason, set_by) VALUES (?, ?, ?, ?)").run(
    input.submissionId,
    input.score,
    input.reason,
    input.userId,
  );
}
