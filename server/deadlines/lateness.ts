/**
 * The late_days and late_penalty columns of submissions: written with the row when a late submission
 * is accepted (createSubmission) and again whenever staff change the deadline (reassess.ts), read by
 * the exercise and submission pages to show the penalty in the score breakdown.
 */
import type { Db } from "../db/database";

export interface Lateness {
  lateDays: number;
  latePenalty: number;
}

export function latenessOf(db: Db, submissionId: number): Lateness {
  const row = db.prepare("SELECT late_days, late_penalty FROM submissions WHERE id = ?").get(submissionId) as
    { late_days: number; late_penalty: number } | undefined;
  return { lateDays: row?.late_days ?? 0, latePenalty: row?.late_penalty ?? 0 };
}
