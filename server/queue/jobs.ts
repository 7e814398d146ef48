/**
 * The queue's SQL: submissions with status "queued" are the jobs. Claiming is one UPDATE … RETURNING,
 * atomic in SQLite, so two workers (or two processes on the same file) never take the same job.
 */
import type { Db } from "../db/database";

export interface Job {
  id: number;
  userId: number;
  exerciseId: string;
  answer: unknown;
  attemptsRun: number;
}

interface JobRow {
  id: number;
  user_id: number;
  exercise_id: string;
  answer: string;
  attempts_run: number;
}

export function claimNextJob(db: Db, workerId: string): Job | undefined {
  const row = db
    .prepare(
      `UPDATE submissions
       SET status = 'running', worker_id = ?, started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), attempts_run = attempts_run + 1
       WHERE id = (SELECT id FROM submissions WHERE status = 'queued' ORDER BY id LIMIT 1)
       RETURNING id, user_id, exercise_id, answer, attempts_run`,
    )
    .get(workerId) as JobRow | undefined;
  return row && { id: row.id, userId: row.user_id, exerciseId: row.exercise_id, answer: JSON.parse(row.answer) as unknown, attemptsRun: row.attempts_run };
}

/**
 * Jobs left "running" by a process that died are put back in line. Called once at startup, before
 * any worker of this process claims anything.
 */
export function requeueAbandoned(db: Db): number {
  return db.prepare("UPDATE submissions SET status = 'queued', worker_id = NULL WHERE status = 'running'").run().changes;
}

export function queuePosition(db: Db, submissionId: number): number | undefined {
  const row = db
    .prepare(
      `SELECT (SELECT count(*) FROM submissions WHERE status = 'queued' AND id <= s.id) AS position
       FROM submissions s WHERE s.id = ? AND s.status = 'queued'`,
    )
    .get(submissionId) as { position: number } | undefined;
  return row?.position;
}

/**
 * Puts a submission back in line (a regrade, a retry); its result in force stays until a new verdict
 * lands. The run counter starts again: it counts runs that took the server down since the last
 * recorded outcome, and a regrade is a new grading, not another crash.
 */
export function requeueSubmission(db: Db, submissionId: number): void {
  db.prepare("UPDATE submissions SET status = 'queued', worker_id = NULL, attempts_run = 0, retry_at = NULL, infra_retries = 0 WHERE id = ?").run(submissionId);
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
        `UPDATE submissions SET status = 'queued', worker_id = NULL, attempts_run = 0, retry_at = NULL, infra_retries = 0
         WHERE id = ? AND status NOT IN ('queued', 'running', 'superseded') AND (status = 'infrastructure_error' OR infra_error IS NOT NULL)`,
      )
      .run(submissionId).changes === 1
  );
}
