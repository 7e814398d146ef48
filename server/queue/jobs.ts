/**
 * The queue's SQL: submissions with status "queued" are the jobs. Claiming is one UPDATE … RETURNING,
 * atomic in SQLite, so two workers (or two processes on the same file) never take the same job.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { jsonColumn, queryRow, queryValue } from "../db/query";
import { loadSql, windowStart } from "./fairness";

export interface Job {
  id: number;
  userId: number;
  exerciseId: string;
  answer: unknown;
  attemptsRun: number;
}

const jobRow: z.ZodType<Job> = z
  .object({
    id: z.number(),
    user_id: z.number(),
    exercise_id: z.string(),
    answer: jsonColumn,
    attempts_run: z.number(),
  })
  .transform((row) => ({
    id: row.id,
    userId: row.user_id,
    exerciseId: row.exercise_id,
    answer: row.answer,
    attemptsRun: row.attempts_run,
  }));

/** Queued submissions in the order they are graded (server/queue/fairness.ts), with their place. */
const lineSql = `SELECT id, row_number() OVER (ORDER BY low_priority, load, id) AS position
  FROM (SELECT s.id, s.low_priority, ${loadSql} AS load FROM submissions s WHERE s.status = 'queued')`;

export function claimNextJob(db: Db, workerId: string, now = Date.now()): Job | undefined {
  return queryRow(
    db,
    `UPDATE submissions
     SET status = 'running', worker_id = ?, started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), attempts_run = attempts_run + 1
     WHERE id = (SELECT id FROM (${lineSql}) WHERE position = 1)
     RETURNING id, user_id, exercise_id, answer, attempts_run`,
    [workerId, windowStart(now)],
    jobRow,
  );
}

/**
 * Jobs left "running" by a process that died are put back in line. Called once at startup, before
 * any worker of this process claims anything.
 */
export function requeueAbandoned(db: Db): number {
  return db.prepare("UPDATE submissions SET status = 'queued', worker_id = NULL WHERE status = 'running'").run()
    .changes;
}

export function queuePosition(db: Db, submissionId: number, now = Date.now()): number | undefined {
  return queryValue(db, `SELECT position FROM (${lineSql}) WHERE id = ?`, [windowStart(now), submissionId], z.number());
}

/**
 * Puts a submission back in line (a regrade, a retry); its result in force stays until a new verdict
 * lands. The run counter starts again: it counts runs that took the server down since the last
 * recorded outcome, and a regrade is a new grading, not another crash. A bulk regrade (a whole
 * exercise) waits behind every student's own submissions.
 */
export function requeueSubmission(db: Db, submissionId: number, options: { bulk?: boolean } = {}): void {
  db.prepare(
    "UPDATE submissions SET status = 'queued', worker_id = NULL, attempts_run = 0, retry_at = NULL, infra_retries = 0, low_priority = ? WHERE id = ?",
  ).run(options.bulk ? 1 : 0, submissionId);
}

/** Retries whose backoff has run out go back in line; returns how many. */
export function requeueDueRetries(db: Db, now: number): number {
  return db
    .prepare(
      `UPDATE submissions SET status = 'queued', worker_id = NULL, attempts_run = 0, retry_at = NULL
       WHERE retry_at IS NOT NULL AND retry_at <= ? AND status NOT IN ('queued', 'running', 'superseded')`,
    )
    .run(new Date(now).toISOString()).changes;
}

/**
 * Staff's "Retry grading": a submission whose last grading the machinery could not finish goes back
 * in line now, with a fresh backoff schedule. False when there is nothing to retry.
 */
export function retryGradingNow(db: Db, submissionId: number): boolean {
  return (
    db
      .prepare(
        `UPDATE submissions SET status = 'queued', worker_id = NULL, attempts_run = 0, retry_at = NULL, infra_retries = 0, low_priority = 0
         WHERE id = ? AND status NOT IN ('queued', 'running', 'superseded') AND (status = 'infrastructure_error' OR infra_error IS NOT NULL)`,
      )
      .run(submissionId).changes === 1
  );
}
