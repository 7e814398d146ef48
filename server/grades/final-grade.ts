/**
 * The final grade of a student on an exercise, as staff pages, the student's submission page and the
 * grade export all see it. Scores are computed from the exercise's current manual rubric definitions
 * on every call, so editing an item's points in the manifest re-scores every submission using it.
 *
 * `GradeBreakdown` per submission:
 *   submissionId  the submission the numbers are about
 *   auto          automatic score from the grader (submissions.score)
 *   manual        sum of the current points of the manual rubric items applied (may be negative)
 *   latePenalty   points the late policy took off (submissions.late_penalty; see deadlines/reassess.ts)
 *   override      staff-set score with its reason; when present it IS the final score
 *   final         override.score, else auto + manual - latePenalty; always within [0, max]
 *   max           the submission's maximum (the grader's maxScore)
 *   released      whether the student may see manual feedback and `final` (see server/review/release.ts);
 *                 when false a student sees only `studentScore` = clamp(auto - latePenalty)
 *
 * `gradeBreakdown(db, course, userId, exerciseId)` picks the submission that counts under the
 * exercise's policy: "last" = the newest graded attempt, "best" = the graded attempt with the highest
 * final score (the earliest on ties). `allFinalGrades(db, course)` gives one row per student ×
 * exercise with at least one graded attempt, computed in one pass for exports.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow, queryRows } from "../db/query";
import type { Course } from "../course";
import type { Exercise } from "../../grader/exercises";
import { activeMarks, allActiveMarks, type ManualMark } from "../review/marks";
import { activeOverride, allActiveOverrides, type Override } from "../review/overrides";
import { releaseState, releaseStates } from "../review/release";
import { clampScore, computeFinal } from "./compute";
import { gradedInForce } from "../submissions/submissions";

export interface GradeBreakdown {
  submissionId: number;
  auto: number;
  manual: number;
  latePenalty: number;
  override?: { score: number; reason: string };
  final: number;
  max: number;
  released: boolean;
  /** What a student is shown as their score: `final` once released, else the automatic score after lateness. */
  studentScore: number;
  /** Applied items the manifest no longer defines (counted as 0). */
  unknownItems: string[];
}

export interface FinalGradeRow extends GradeBreakdown {
  userId: number;
  exerciseId: string;
}

/** The columns of a graded submission the arithmetic needs. */
const gradedRow = z.object({
  id: z.number(),
  user_id: z.number(),
  exercise_id: z.string(),
  score: z.number(),
  max_score: z.number(),
  late_penalty: z.number(),
});
type GradedRow = z.infer<typeof gradedRow>;

const gradedColumns = "id, user_id, exercise_id, score, max_score, late_penalty";

function breakdownOf(
  row: GradedRow,
  exercise: Exercise | undefined,
  marks: readonly ManualMark[],
  override: Override | undefined,
  released: boolean,
): GradeBreakdown {
  const max = row.max_score;
  const overrideView = override && { score: override.score, reason: override.reason };
  const outcome = computeFinal({
    auto: row.score,
    max,
    latePenalty: row.late_penalty,
    applied: marks,
    definitions: exercise?.manualRubric ?? [],
    override: overrideView,
  });
  const breakdown: GradeBreakdown = {
    submissionId: row.id,
    auto: row.score,
    manual: outcome.manual,
    latePenalty: row.late_penalty,
    final: outcome.final,
    max,
    released,
    studentScore: released ? outcome.final : clampScore(row.score - row.late_penalty, max),
    unknownItems: outcome.unknownItems,
  };
  if (overrideView) breakdown.override = overrideView;
  return breakdown;
}

/**
 * Picks the counting attempt among one student's breakdowns for one exercise (ascending by id), by
 * `final` unless told otherwise; the earliest wins a tie.
 */
export function counting(
  breakdowns: readonly GradeBreakdown[],
  policy: "best" | "last",
  score: (b: GradeBreakdown) => number = (b) => b.final,
): GradeBreakdown | undefined {
  if (policy === "last") return breakdowns[breakdowns.length - 1];
  return breakdowns.reduce<GradeBreakdown | undefined>(
    (best, b) => (!best || score(b) > score(best) ? b : best),
    undefined,
  );
}

/** The breakdown of one graded submission; undefined when it is not graded (queued, error, ...). */
export function submissionBreakdown(db: Db, course: Course, submissionId: number): GradeBreakdown | undefined {
  const row = queryRow(
    db,
    `SELECT ${gradedColumns} FROM submissions WHERE id = ? AND ${gradedInForce}`,
    [submissionId],
    gradedRow,
  );
  if (!row) return undefined;
  const exercise = course.exerciseById(row.exercise_id)?.exercise;
  return breakdownOf(
    row,
    exercise,
    activeMarks(db, row.id),
    activeOverride(db, row.id),
    releaseState(db, row.exercise_id).released,
  );
}

/** The grade that counts for one student on one exercise; undefined when nothing is graded yet. */
export function gradeBreakdown(db: Db, course: Course, userId: number, exerciseId: string): GradeBreakdown | undefined {
  return counting(attemptBreakdowns(db, course, userId, exerciseId), scoringOf(course, exerciseId));
}

/** Every graded attempt of one student at one exercise, oldest first. */
export function attemptBreakdowns(db: Db, course: Course, userId: number, exerciseId: string): GradeBreakdown[] {
  const exercise = course.exerciseById(exerciseId)?.exercise;
  const sql = `SELECT ${gradedColumns} FROM submissions WHERE user_id = ? AND exercise_id = ? AND ${gradedInForce} ORDER BY id`;
  const rows = queryRows(db, sql, [userId, exerciseId], gradedRow);
  const released = releaseState(db, exerciseId).released;
  return rows.map((row) => breakdownOf(row, exercise, activeMarks(db, row.id), activeOverride(db, row.id), released));
}

export function scoringOf(course: Course, exerciseId: string): "best" | "last" {
  return course.exerciseById(exerciseId)?.exercise.scoring ?? "best";
}

/** One row per student × exercise with a graded attempt (of one exercise when given), ordered by user then exercise id. */
export function allFinalGrades(db: Db, course: Course, exerciseId?: string): FinalGradeRow[] {
  const rows =
    exerciseId === undefined
      ? queryRows(
          db,
          `SELECT ${gradedColumns} FROM submissions WHERE ${gradedInForce} ORDER BY user_id, exercise_id, id`,
          [],
          gradedRow,
        )
      : queryRows(
          db,
          `SELECT ${gradedColumns} FROM submissions WHERE ${gradedInForce} AND exercise_id = ? ORDER BY user_id, id`,
          [exerciseId],
          gradedRow,
        );
  const marks = groupBy(allActiveMarks(db), (m) => m.submissionId);
  const overrides = new Map(allActiveOverrides(db).map((o) => [o.submissionId, o]));
  const released = releaseStates(db, [...new Set(rows.map((r) => r.exercise_id))]);
  const perPair = groupBy(rows, (r) => `${r.user_id}\u0000${r.exercise_id}`);
  const out: FinalGradeRow[] = [];
  for (const pairRows of perPair.values()) {
    const first = pairRows[0]!;
    const exercise = course.exerciseById(first.exercise_id)?.exercise;
    const isReleased = released.get(first.exercise_id)?.released ?? false;
    const breakdowns = pairRows.map((r) =>
      breakdownOf(r, exercise, marks.get(r.id) ?? [], overrides.get(r.id), isReleased),
    );
    const pick = counting(breakdowns, exercise?.scoring ?? "best");
    if (pick) out.push({ userId: first.user_id, exerciseId: first.exercise_id, ...pick });
  }
  return out;
}

/** The attempt that counts for each student's grade on one exercise: what staff review. */
export function countingSubmissions(db: Db, course: Course, exerciseId: string): Set<number> {
  return new Set(allFinalGrades(db, course, exerciseId).map((g) => g.submissionId));
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
