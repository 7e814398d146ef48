/**
 * The late_days and late_penalty columns of submissions: written with the row when a late submission
 * is accepted (createSubmission) and again whenever staff change the deadline (reassess.ts), read by
 * the exercise and submission pages to show the penalty in the score breakdown.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow } from "../db/query";

export interface Lateness {
  lateDays: number;
  latePenalty: number;
}

export function latenessOf(db: Db, submissionId: number): Lateness {
  const row = queryRow(
    db,
    "SELECT late_days, late_penalty FROM submissions WHERE id = ?",
    [submissionId],
    z.object({ late_days: z.number(), late_penalty: z.number() }),
  );
  return { lateDays: row?.late_days ?? 0, latePenalty: row?.late_penalty ?? 0 };
}
