/**
 * Regrading an exercise's submissions after its rubric changed. Structured answers are regraded
 * inline; code answers are put back in the queue (their history row gets its new result when the queue
 * records it). Every regrade leaves a regrade_history row with
 * the old result, the new one (filled later for re-queued code), who asked and when.
 */
import type { AppContext } from "../../context";
import type { Db } from "../../db/database";
import { requeueSubmission } from "../../queue/jobs";
import { gradeAnswer } from "../../../grader/exercises";
import { recordResult } from "../../submissions/submissions";
import { isCodeExercise } from "../../course";

export interface RegradeOutcome {
  regraded: number;
  requeued: number;
}

export interface RegradeHistoryRow {
  id: number;
  submissionId: number;
  oldScore: number | null;
  newScore: number | null;
  regradedBy: string | null;
  regradedAt: string;
}

interface GradedRow {
  id: number;
  answer: string;
  result: string | null;
  score: number | null;
}

function gradedSubmissions(db: Db, exerciseId: string): GradedRow[] {
  return db
    .prepare("SELECT id, answer, result, score FROM submissions WHERE exercise_id = ? AND status IN ('graded', 'error') ORDER BY id")
    .all(exerciseId) as GradedRow[];
}

export async function regradeExercise(ctx: AppContext, exerciseId: string, byUserId: number): Promise<RegradeOutcome> {
  const entry = ctx.course.exerciseById(exerciseId);
  if (!entry) return { regraded: 0, requeued: 0 };
  const rows = gradedSubmissions(ctx.db, exerciseId);
  const history = ctx.db.prepare(
    "INSERT INTO regrade_history (submission_id, old_result, old_score, new_result, new_score, regraded_by) VALUES (?, ?, ?, ?, ?, ?)",
  );
  if (isCodeExercise(entry)) {
    ctx.db.transaction(() => {
      for (const row of rows) {
        history.run(row.id, row.result, row.score, null, null, byUserId);
        requeueSubmission(ctx.db, row.id);
      }
    })();
    ctx.queue?.notify();
    return { regraded: 0, requeued: rows.length };
  }
  const graded = await Promise.all(rows.map(async (row) => ({ row, result: await gradeAnswer(entry.exercise, JSON.parse(row.answer) as unknown) })));
  ctx.db.transaction(() => {
    for (const { row, result } of graded) {
      history.run(row.id, row.result, row.score, JSON.stringify(result), result.status === "graded" ? result.score : null, byUserId);
      recordResult(ctx.db, row.id, result);
    }
  })();
  return { regraded: graded.length, requeued: 0 };
}

export function regradeHistory(db: Db, exerciseId: string, limit = 50): RegradeHistoryRow[] {
  // A re-queued code regrade has no new result until the queue records it (recordResult fills it).
  const rows = db
    .prepare(
      `SELECT h.id, h.submission_id, h.old_score, h.new_score,
              u.email AS regraded_by, h.regraded_at
       FROM regrade_history h JOIN submissions s ON s.id = h.submission_id LEFT JOIN users u ON u.id = h.regraded_by
       WHERE s.exercise_id = ? ORDER BY h.id DESC LIMIT ?`,
    )
    .all(exerciseId, limit) as Array<{ id: number; submission_id: number; old_score: number | null; new_score: number | null; regraded_by: string | null; regraded_at: string }>;
  return rows.map((r) => ({ id: r.id, submissionId: r.submission_id, oldScore: r.old_score, newScore: r.new_score, regradedBy: r.regraded_by, regradedAt: r.regraded_at }));
}

export function countSubmissions(db: Db, exerciseId: string): number {
  return db.prepare("SELECT count(*) FROM submissions WHERE exercise_id = ? AND status IN ('graded', 'error')").pluck().get(exerciseId) as number;
}
