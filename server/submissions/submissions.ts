/** The submissions table: typed rows and the queries the exercise pages, the API and the queue share. */
import type { Db } from "../db/database";
import { parseGradingResult, type GradingResult } from "../../grader/result";

export type SubmissionStatus = "queued" | "running" | "graded" | "error" | "superseded";

export interface Submission {
  id: number;
  userId: number;
  exerciseId: string;
  answer: unknown;
  status: SubmissionStatus;
  result: GradingResult | null;
  score: number | null;
  maxScore: number | null;
  createdAt: string;
  gradedAt: string | null;
}

interface SubmissionRow {
  id: number;
  user_id: number;
  exercise_id: string;
  answer: string;
  status: SubmissionStatus;
  result: string | null;
  score: number | null;
  max_score: number | null;
  created_at: string;
  graded_at: string | null;
}

function toSubmission(row: SubmissionRow): Submission {
  return {
    id: row.id,
    userId: row.user_id,
    exerciseId: row.exercise_id,
    answer: JSON.parse(row.answer) as unknown,
    status: row.status,
    // Stored results crossed a process boundary once; parse rather than trust them.
    result: row.result === null ? null : parseGradingResult(JSON.parse(row.result)),
    score: row.score,
    maxScore: row.max_score,
    createdAt: row.created_at,
    gradedAt: row.graded_at,
  };
}

export class AttemptLimitError extends Error {
  constructor(readonly maxAttempts: number) {
    super(`You have used all ${maxAttempts} attempts for this exercise.`);
  }
}

/** Attempts that count against the limit: everything but submissions replaced while still queued. */
export function countAttempts(db: Db, userId: number, exerciseId: string): number {
  return db
    .prepare("SELECT count(*) FROM submissions WHERE user_id = ? AND exercise_id = ? AND status != 'superseded'")
    .pluck()
    .get(userId, exerciseId) as number;
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
     * Replace this student's still-queued, never-graded submissions for the exercise: only the newest
     * is worth grading. One queued again for a regrade keeps its place: it already has a result.
     */
    supersedeQueued?: boolean;
    /** Set when accepted after the due date: written with the row so a penalty can never go missing. */
    lateness?: { lateDays: number; latePenalty: number };
  },
): number {
  return db.transaction(() => {
    if (input.supersedeQueued) {
      db.prepare("UPDATE submissions SET status = 'superseded' WHERE user_id = ? AND exercise_id = ? AND status = 'queued' AND graded_at IS NULL").run(
        input.userId,
        input.exerciseId,
      );
    }
    if (countAttempts(db, input.userId, input.exerciseId) >= input.maxAttempts) throw new AttemptLimitError(input.maxAttempts);
    const info = db
      .prepare("INSERT INTO submissions (user_id, exercise_id, answer, status, late_days, late_penalty) VALUES (?, ?, ?, ?, ?, ?)")
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

/**
 * Stores a grading result; status follows the result ("graded" or "error"). A code submission put
 * back in the queue by a regrade has a regrade_history row waiting for its new result: it is filled
 * in the same transaction, so the history always says what the regrade gave.
 */
export function recordResult(db: Db, id: number, result: GradingResult): void {
  const json = JSON.stringify(result);
  const score = result.status === "graded" ? result.score : null;
  db.transaction(() => {
    db.prepare(
      `UPDATE submissions
       SET status = ?, result = ?, score = ?, max_score = ?, graded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), worker_id = NULL
       WHERE id = ?`,
    ).run(result.status, json, score, result.maxScore, id);
    db.prepare("UPDATE regrade_history SET new_result = ?, new_score = ? WHERE submission_id = ? AND new_result IS NULL").run(json, score, id);
  })();
}

/** The source text of a code answer (stored as `{ code }`); undefined for a structured answer. */
export function submittedCode(submission: Submission): string | undefined {
  const code = (submission.answer as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export function getSubmission(db: Db, id: number): Submission | undefined {
  const row = db.prepare("SELECT * FROM submissions WHERE id = ?").get(id) as SubmissionRow | undefined;
  return row && toSubmission(row);
}

/** A student's attempts at one exercise, newest first. */
export function listSubmissions(db: Db, userId: number, exerciseId: string): Submission[] {
  const rows = db
    .prepare("SELECT * FROM submissions WHERE user_id = ? AND exercise_id = ? ORDER BY id DESC")
    .all(userId, exerciseId) as SubmissionRow[];
  return rows.map(toSubmission);
}

/** Every submission of a student, newest first, for the course home and module badges. */
export function listUserSubmissions(db: Db, userId: number): Submission[] {
  const rows = db.prepare("SELECT * FROM submissions WHERE user_id = ? ORDER BY id DESC").all(userId) as SubmissionRow[];
  return rows.map(toSubmission);
}
