/**
 * Re-running the grading of an exercise's submissions after its grading changed. Structured answers
 * are graded again inline; code answers are put back in the queue (their history row gets its new
 * result when the queue records it). Every re-run leaves a regrade_history row with the old result,
 * the new one (filled later for re-queued code), who asked and when.
 *
 * Naming: a "regrade request" is a student asking staff to look again (server/pages/regrades/). The
 * columns regrade_history and regrade_pending_by keep their first names; migrations are append-only.
 *
 * What makes it safe to repeat: a re-queued submission's run counter starts at zero (a re-run is not
 * a crash), its old result stays in force until a new verdict is recorded and stands if the new
 * grading ends in an infrastructure error, and a submission being graded right now (status running,
 * by the exercise as it was) is marked `regrade_pending_by` and re-queued as soon as that grading is
 * recorded. A queued one needs nothing: the queue grades it by the exercise as it is when it runs.
 */
import type { AppContext } from "../../context";
import { z } from "zod";
import type { Db } from "../../db/database";
import { camelRow, jsonColumn, queryRows, queryValue } from "../../db/query";
import { requeueSubmission } from "../../queue/jobs";
import { gradeAnswer } from "../../../grader/exercises";
import { recordResult } from "../../submissions/submissions";
import { isCodeExercise } from "../../course";

export interface RerunOutcome {
  regraded: number;
  requeued: number;
  /** Being graded when the regrade was asked: regraded once that grading is recorded. */
  pending: number;
}

export interface RerunHistoryRow {
  id: number;
  submissionId: number;
  studentName: string;
  attemptNumber: number;
  oldScore: number | null;
  newScore: number | null;
  regradedBy: string | null;
  regradedAt: string;
}

const gradedRow = z.object({
  id: z.number(),
  answer: jsonColumn,
  result: z.string().nullable(),
  score: z.number().nullable(),
  graded_at: z.string().nullable(),
});
type GradedRow = z.infer<typeof gradedRow>;

const historyRow: z.ZodType<RerunHistoryRow> = camelRow({
  id: z.number(),
  submission_id: z.number(),
  student_name: z.string(),
  attempt_number: z.number(),
  old_score: z.number().nullable(),
  new_score: z.number().nullable(),
  regraded_by: z.string().nullable(),
  regraded_at: z.string(),
});

/** Submissions with an outcome to redo: every verdict, and gradings the machinery could not finish. */
const finishedStatuses = "('graded', 'error', 'compile_error', 'infrastructure_error')";

function finishedSubmissions(db: Db, exerciseId: string): GradedRow[] {
  const sql = `SELECT id, answer, result, score, graded_at FROM submissions WHERE exercise_id = ? AND status IN ${finishedStatuses} ORDER BY id`;
  return queryRows(db, sql, [exerciseId], gradedRow);
}

export async function rerunGrading(ctx: AppContext, exerciseId: string, byUserId: number): Promise<RerunOutcome> {
  const entry = ctx.course.exerciseById(exerciseId);
  if (!entry) return { regraded: 0, requeued: 0, pending: 0 };
  const rows = finishedSubmissions(ctx.db, exerciseId);
  const history = ctx.db.prepare(
    "INSERT INTO regrade_history (submission_id, old_result, old_score, new_result, new_score, regraded_by) VALUES (?, ?, ?, ?, ?, ?)",
  );
  // Only a verdict is an old result; an infrastructure error without one had nothing to keep.
  const oldResult = (row: GradedRow) => (row.graded_at === null ? null : row.result);
  if (isCodeExercise(entry)) {
    const pending = ctx.db.transaction(() => {
      for (const row of rows) {
        history.run(row.id, oldResult(row), row.score, null, null, byUserId);
        requeueSubmission(ctx.db, row.id, { bulk: true });
      }
      return ctx.db
        .prepare("UPDATE submissions SET regrade_pending_by = ? WHERE exercise_id = ? AND status = 'running'")
        .run(byUserId, exerciseId).changes;
    })();
    ctx.queue?.notify();
    return { regraded: 0, requeued: rows.length, pending };
  }
  const graded = await Promise.all(
    rows.map(async (row) => ({ row, result: await gradeAnswer(entry.exercise, row.answer) })),
  );
  ctx.db.transaction(() => {
    for (const { row, result } of graded) {
      // recordResult fills the new result in, or leaves it waiting if the grading could not finish.
      history.run(row.id, oldResult(row), row.score, null, null, byUserId);
      recordResult(ctx.db, row.id, result);
    }
  })();
  return { regraded: graded.length, requeued: 0, pending: 0 };
}

export function rerunHistory(db: Db, exerciseId: string, limit = 50): RerunHistoryRow[] {
  // A re-queued code regrade has no new result until the queue records it (recordResult fills it).
  return queryRows(
    db,
    `SELECT h.id, h.submission_id, h.old_score, h.new_score, st.name AS student_name,
            (SELECT count(*) FROM submissions p WHERE p.user_id = s.user_id AND p.exercise_id = s.exercise_id AND p.id <= s.id) AS attempt_number,
            u.email AS regraded_by, h.regraded_at
     FROM regrade_history h JOIN submissions s ON s.id = h.submission_id JOIN users st ON st.id = s.user_id
     LEFT JOIN users u ON u.id = h.regraded_by
     WHERE s.exercise_id = ? ORDER BY h.id DESC LIMIT ?`,
    [exerciseId, limit],
    historyRow,
  );
}

export function countSubmissions(db: Db, exerciseId: string): number {
  return (
    queryValue(
      db,
      `SELECT count(*) FROM submissions WHERE exercise_id = ? AND status IN ${finishedStatuses}`,
      [exerciseId],
      z.number(),
    ) ?? 0
  );
}
