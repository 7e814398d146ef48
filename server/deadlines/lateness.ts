/**
 * The late_days and late_penalty columns of submissions: written with the row when a late submission
 * is accepted (createSubmission), read by the exercise and submission pages to show the penalty in the score breakdown.
 */
import type { Db } from "../db/database";

export interface Lateness {
  lateDays: number;
  latePenalty: number;
}

export function latenessOf(db: Db, submissionId: number): Lateness {
  const row = db.prepare("SELECT late_days, late_penalty FROM submissions WHERE id = ?").get(submissionId) as
    | { late_days: number; late_penalty: number }
    | undefined;
  return { lateDays: row?.late_days ?? 0, latePenalty: row?.late_penalty ?? 0 };
}

/** Late submissions of one student on one exercise, by submission id. */
export function latenessByUser(db: Db, userId: number, exerciseId: string): Map<number, Lateness> {
  const rows = db
    .prepare("SELECT id, late_days, late_penalty FROM submissions WHERE user_id = ? AND exercise_id = ? AND late_days > 0")
    .all(userId, exerciseId) as Array<{ id: number; late_days: number; late_penalty: number }>;
  return new Map(rows.map((r) => [r.id, { lateDays: r.late_days, latePenalty: r.late_penalty }]));
}
