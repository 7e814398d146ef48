/**
 * Who is graded next, on either backend. A queued submission's rank is (bulk regrade last, then the
 * student's load, then arrival): the load is how many of the same student's other submissions are
 * ahead of it still in line or being graded, plus those they sent in the last few minutes. A student
 * with fifty submissions in line therefore never delays another student's first one, and a student
 * who just had many graded waits behind those who had none. Bulk regrades (low_priority) wait for
 * every student's own submissions.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow } from "../db/query";

/** How far back a student's submissions count towards their load. */
export const FAIRNESS_WINDOW_MS = 5 * 60_000;

/** BullMQ's lowest priority (2^21 - 1): bulk regrades. Student submissions get 1 + load, below it. */
export const BULK_PRIORITY = 2_097_151;

/**
 * The load of the submission aliased `s`, in SQL; `?` is the window's start (ISO). Bulk regrades
 * are not anyone's load: they were not the student's doing. Replaced submissions sent recently do
 * count: sending one every second is load.
 */
export const loadSql = `(SELECT count(*) FROM submissions o
    WHERE o.user_id = s.user_id AND o.id < s.id AND o.low_priority = 0
      AND (o.status IN ('queued', 'running') OR o.created_at >= ?))`;

export function windowStart(now: number): string {
  return new Date(now - FAIRNESS_WINDOW_MS).toISOString();
}

/** The BullMQ priority of a queued submission (lower runs first; equal ones in arrival order). */
export function priorityOf(db: Db, submissionId: number, now: number): number {
  const row = queryRow(
    db,
    `SELECT s.low_priority AS low, ${loadSql} AS load FROM submissions s WHERE s.id = ?`,
    [windowStart(now), submissionId],
    z.object({ low: z.number(), load: z.number() }),
  );
  if (!row || row.low === 1) return BULK_PRIORITY;
  return Math.min(1 + row.load, BULK_PRIORITY - 1);
}
