/** The submissions table: typed rows and the queries the exercise pages, the API and the queue share. */
import { z } from "zod";
import type { Db } from "../db/database";
import { jsonColumn, queryRow, queryRows, queryValue } from "../db/query";
import { countsAsAttempt, parseGradingResult, type GradingResult } from "../../grader/result";

const submissionStatusSchema = z.enum([
  "queued",
  "running",
  "graded",
  "error",
  "compile_error",
  "infrastructure_error",
  "superseded",
]);
export type SubmissionStatus = z.infer<typeof submissionStatusSchema>;

export interface Submission {
  id: number;
  userId: number;
  exerciseId: string;
  /** 1-based place among this student's submissions to this exercise: "Attempt 2", never the global id. */
  attemptNumber: number;
  answer: unknown;
  status: SubmissionStatus;
  /** The result in force: during a regrade (queued or running again) the previous one stays here. */
  result: GradingResult | null;
  score: number | null;
  maxScore: number | null;
  createdAt: string;
  /** When the result in force was recorded; null until the submission has a verdict. */
  gradedAt: string | null;
  /** When the queue takes an infrastructure failure up again; null when no retry is planned. */
  retryAt: string | null;
  infraRetries: number;
  /** The machinery's message when a (re)grading failed for reasons not the student's. */
  infraError: string | null;
  regradePending: boolean;
}

const submissionRow = z
  .object({
    id: z.number(),
    user_id: z.number(),
    exercise_id: z.string(),
    attempt_number: z.number(),
    answer: jsonColumn,
    status: submissionStatusSchema,
    // Stored results crossed a process boundary once; parse rather than trust them.
    result: jsonColumn.transform(parseGradingResult).nullable(),
    score: z.number().nullable(),
    max_score: z.number().nullable(),
    created_at: z.string(),
    graded_at: z.string().nullable(),
    retry_at: z.string().nullable(),
    infra_retries: z.number(),
    infra_error: z.string().nullable(),
    regrade_pending_by: z.number().nullable(),
  })
  .transform((row): Submission => ({
    id: row.id,
    userId: row.user_id,
    exerciseId: row.exercise_id,
    attemptNumber: row.attempt_number,
    answer: row.answer,
    status: row.status,
    result: row.result,
    score: row.score,
    maxScore: row.max_score,
    createdAt: row.created_at,
    gradedAt: row.graded_at,
    retryAt: row.retry_at,
    infraRetries: row.infra_retries,
    infraError: row.infra_error,
    regradePending: row.regrade_pending_by !== null,
  }));

/** Every column plus the per-student attempt number; `s` is the submissions table's alias. */
const submissionColumns = `s.*, (SELECT count(*) FROM submissions p WHERE p.user_id = s.user_id AND p.exercise_id = s.exercise_id AND p.id <= s.id) AS attempt_number`;

/**
 * The SQL condition "has a graded result in force" (score is written only for graded results). It
 * holds while a graded submission is queued or running again for a regrade, and after a regrade that
 * ended in an infrastructure error: the old score stands until a new verdict replaces it.
 */
export const gradedInForce = "score IS NOT NULL";

/** Statuses that use one of the student's attempts: verdicts the code earned, and gradings still pending. */
export const attemptStatuses = "('graded', 'error', 'queued', 'running')";

/** Whether a submission counts against the attempt limit (see `countsAsAttempt` for results). */
export function usesAttempt(status: SubmissionStatus): boolean {
  // Pending gradings hold an attempt until their verdict says whether it counts.
  return status === "queued" || status === "running" || (status !== "superseded" && countsAsAttempt(status));
}

export class AttemptLimitError extends Error {
  constructor(readonly maxAttempts: number) {
    super(`You have used all ${maxAttempts} attempts for this exercise.`);
  }
}

/**
 * Attempts that count against the limit: gradings the code earned (graded, error) and those still
 * pending (queued, running), so quick resubmissions cannot slip past the limit. Code that did not
 * compile, gradings the machinery could not finish, and submissions replaced while queued are free.
 */
export function countAttempts(db: Db, userId: number, exerciseId: string): number {
  const sql = `SELECT count(*) FROM submissions WHERE user_id = ? AND exercise_id = ? AND status IN ${attemptStatuses}`;
  return queryValue(db, sql, [userId, exerciseId], z.number()) ?? 0;
}

/**
 * Records a new submission, refusing it when the attempts are used up. Count and insert run in one
 * transaction so two quick submissions cannot both slip under the limit.
 */
export function createSubmission(
  db: Db,
  input: {
    userId: number;
    exerciseId: string;
    answer: unknown;
    status: "queued" | "running";
    maxAttempts: number;
    /**
     * Replace this student's still-queued, never-graded submissions for the exercise (and those waiting
     * for a retry after an infrastructure error): only the newest is worth grading. One queued again
     * for a regrade keeps its place: it already has a result.
     */
    supersedeQueued?: boolean;
    /** Set when accepted after the due date: written with the row so a penalty can never go missing. */
    lateness?: { lateDays: number; latePenalty: number };
  },
): number {
  return db.transaction(() => {
    if (input.supersedeQueued) {
      // The replaced row stays (attempt numbers and the student's history keep their place) but its
      // code goes: a student resubmitting 60 KB every second must not fill the database with copies.
      db.prepare(
        `UPDATE submissions SET status = 'superseded', retry_at = NULL, answer = '{}'
         WHERE user_id = ? AND exercise_id = ? AND status IN ('queued', 'infrastructure_error') AND graded_at IS NULL`,
      ).run(input.userId, input.exerciseId);
    }
    if (countAttempts(db, input.userId, input.exerciseId) >= input.maxAttempts)
      throw new AttemptLimitError(input.maxAttempts);
    const info = db
      .prepare(
        "INSERT INTO submissions (user_id, exercise_id, answer, status, late_days, late_penalty) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(
        input.userId,
        input.exerciseId,
        JSON.stringify(input.answer),
        input.status,
        input.lateness?.lateDays ?? 0,
        input.lateness?.latePenalty ?? 0,
      );
    return Number(info.lastInsertRowid);
  })();
}

/** Automatic retries after an infrastructure error: 1, 5 and 15 minutes later, then staff's button. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 15 * 60_000];

export interface RecordOptions {
  /** The clock (epoch ms); the queue's tests move it instead of waiting. */
  now?: number;
  retryDelaysMs?: readonly number[];
}

const recordRow = z.object({
  status: submissionStatusSchema,
  result: z.string().nullable(),
  graded_at: z.string().nullable(),
  infra_retries: z.number(),
  regrade_pending_by: z.number().nullable(),
});

/**
 * Stores the outcome of one grading run. A verdict (graded, error, compile_error) becomes the result
 * in force and fills the regrade_history row a regrade left waiting, in the same transaction. An
 * infrastructure error is never a verdict: a submission that had one keeps it (and its status) with
 * the failure noted beside it; one that had none becomes `infrastructure_error`. Either way a retry
 * is planned by the backoff schedule until it runs out. A regrade asked while this run was going on
 * is started now that the run is recorded.
 */
export function recordResult(db: Db, id: number, result: GradingResult, options: RecordOptions = {}): void {
  const now = options.now ?? Date.now();
  const stamp = new Date(now).toISOString();
  const json = JSON.stringify(result);
  db.transaction(() => {
    const row = queryRow(
      db,
      "SELECT status, result, graded_at, infra_retries, regrade_pending_by FROM submissions WHERE id = ?",
      [id],
      recordRow,
    );
    if (!row) return;
    if (result.status === "infrastructure_error") {
      const delay = (options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)[row.infra_retries];
      const retryAt = delay === undefined ? null : new Date(now + delay).toISOString();
      const message = result.error ?? "The grading machinery failed.";
      if (row.graded_at !== null && row.result !== null) {
        const inForce = parseGradingResult(JSON.parse(row.result)).status;
        db.prepare(
          "UPDATE submissions SET status = ?, infra_error = ?, retry_at = ?, infra_retries = infra_retries + 1, worker_id = NULL WHERE id = ?",
        ).run(inForce, message, retryAt, id);
      } else {
        db.prepare(
          `UPDATE submissions SET status = 'infrastructure_error', result = ?, score = NULL, max_score = ?, infra_error = ?, retry_at = ?,
             infra_retries = infra_retries + 1, worker_id = NULL WHERE id = ?`,
        ).run(json, result.maxScore, message, retryAt, id);
      }
      return;
    }
    const score = result.status === "graded" ? result.score : null;
    db.prepare(
      `UPDATE submissions
       SET status = ?, result = ?, score = ?, max_score = ?, graded_at = ?, worker_id = NULL, retry_at = NULL, infra_error = NULL, infra_retries = 0
       WHERE id = ?`,
    ).run(result.status, json, score, result.maxScore, stamp, id);
    db.prepare(
      "UPDATE regrade_history SET new_result = ?, new_score = ? WHERE submission_id = ? AND new_result IS NULL",
    ).run(json, score, id);
    if (row.regrade_pending_by !== null) {
      db.prepare(
        "INSERT INTO regrade_history (submission_id, old_result, old_score, regraded_by) VALUES (?, ?, ?, ?)",
      ).run(id, json, score, row.regrade_pending_by);
      db.prepare(
        "UPDATE submissions SET status = 'queued', attempts_run = 0, regrade_pending_by = NULL WHERE id = ?",
      ).run(id);
    }
  })();
}

/** The source text of a code answer (stored as `{ code }`); undefined for a structured answer. */
export function submittedCode(submission: Submission): string | undefined {
  const code = (submission.answer as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export function getSubmission(db: Db, id: number): Submission | undefined {
  return queryRow(db, `SELECT ${submissionColumns} FROM submissions s WHERE s.id = ?`, [id], submissionRow);
}

/** A student's attempts at one exercise, newest first. */
export function listSubmissions(db: Db, userId: number, exerciseId: string): Submission[] {
  const sql = `SELECT ${submissionColumns} FROM submissions s WHERE s.user_id = ? AND s.exercise_id = ? ORDER BY s.id DESC`;
  return queryRows(db, sql, [userId, exerciseId], submissionRow);
}

/** Every submission of a student, newest first, for the course home and module badges. */
export function listUserSubmissions(db: Db, userId: number): Submission[] {
  return queryRows(
    db,
    `SELECT ${submissionColumns} FROM submissions s WHERE s.user_id = ? ORDER BY s.id DESC`,
    [userId],
    submissionRow,
  );
}
