/** SQL for score overrides: at most one active per submission; clearing stamps it, never deletes it. */
import { z } from "zod";
import type { Db } from "../db/database";
import { camelRow, queryRow, queryRows } from "../db/query";

export interface Override {
  id: number;
  submissionId: number;
  score: number;
  reason: string;
  setBy: number;
  setByName: string;
  setAt: string;
}

const overrideRow: z.ZodType<Override> = camelRow({
  id: z.number(),
  submission_id: z.number(),
  score: z.number(),
  reason: z.string(),
  set_by: z.number(),
  set_by_name: z.string(),
  set_at: z.string(),
});

const selectActive = `
  SELECT o.*, u.name AS set_by_name FROM grade_overrides o JOIN users u ON u.id = o.set_by
  WHERE o.cleared_at IS NULL`;

export function activeOverride(db: Db, submissionId: number): Override | undefined {
  return queryRow(db, `${selectActive} AND o.submission_id = ?`, [submissionId], overrideRow);
}

export function allActiveOverrides(db: Db): Override[] {
  return queryRows(db, selectActive, [], overrideRow);
}

export function stampOverrideCleared(db: Db, submissionId: number, userId: number): void {
  db.prepare(
    "UPDATE grade_overrides SET cleared_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), cleared_by = ? WHERE submission_id = ? AND cleared_at IS NULL",
  ).run(userId, submissionId);
}

export function insertOverride(
  db: Db,
  input: { submissionId: number; score: number; reason: string; userId: number },
): void {
  db.prepare("INSERT INTO grade_overrides (submission_id, score, reason, set_by) VALUES (?, ?, ?, ?)").run(
    input.submissionId,
    input.score,
    input.reason,
    input.userId,
  );
}
