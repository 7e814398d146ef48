/**
 * What one reader sees of one attempt's score, defined once: every page and export that shows a score
 * builds it here and renders it with `views/partials/score.ejs`, so the headline, the attempts table,
 * the exercise and home pages, the staff views and the gradebook can never disagree.
 *
 *   auto         the automatic score in force (the grader's)
 *   manual       the current points of the applied manual items; shown to staff, and to the student
 *                once feedback is released
 *   latePenalty  points the late policy took off, with the days late
 *   override     the staff-set score and its reason (same visibility as manual); when present it IS final
 *   final        what the attempt is worth to this reader: GradeBreakdown.final for staff and released
 *                feedback, else the automatic score after the late penalty (studentScore)
 *   counts       whether this is the attempt the reader's grade comes from (best or last, as the
 *                exercise scores), chosen by the scores this reader can see
 *
 * An attempt is named by its place among the student's submissions to the exercise ("Attempt 2"),
 * never by the global submission id.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRows } from "../db/query";
import type { Course } from "../course";
import { attemptBreakdowns, counting, scoringOf, type GradeBreakdown } from "./final-grade";

export type Audience = "student" | "staff";

export interface ScoreView {
  submissionId: number;
  attemptNumber: number;
  audience: Audience;
  auto: number;
  max: number;
  /** Undefined when hidden from this reader (feedback held) or when no item is applied. */
  manual?: number;
  latePenalty: number;
  lateDays: number;
  override?: { score: number; reason: string };
  final: number;
  /** False only for a student whose manual feedback is still held. */
  released: boolean;
  counts: boolean;
  scoring: "best" | "last";
}

const attemptRow = z.object({ id: z.number(), attempt_number: z.number(), late_days: z.number() });
type AttemptRow = z.infer<typeof attemptRow>;

function attemptRows(db: Db, userId: number, exerciseId: string): Map<number, AttemptRow> {
  const rows = queryRows(
    db,
    `SELECT id, late_days, ROW_NUMBER() OVER (ORDER BY id) AS attempt_number
     FROM submissions WHERE user_id = ? AND exercise_id = ? ORDER BY id`,
    [userId, exerciseId],
    attemptRow,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** The score a reader is shown for one breakdown: staff see everything, students what is released. */
export function visibleFinal(b: GradeBreakdown, audience: Audience): number {
  return audience === "staff" ? b.final : b.studentScore;
}

function viewOf(
  b: GradeBreakdown,
  audience: Audience,
  row: AttemptRow | undefined,
  counts: boolean,
  scoring: "best" | "last",
): ScoreView {
  const shown = audience === "staff" || b.released;
  const view: ScoreView = {
    submissionId: b.submissionId,
    attemptNumber: row?.attempt_number ?? 0,
    audience,
    auto: b.auto,
    max: b.max,
    latePenalty: b.latePenalty,
    lateDays: row?.late_days ?? 0,
    final: visibleFinal(b, audience),
    released: shown,
    counts,
    scoring,
  };
  if (shown && b.manual !== 0) view.manual = b.manual;
  if (shown && b.override) view.override = b.override;
  return view;
}

/** Every graded attempt of one student at one exercise, as `audience` sees them, keyed by submission id. */
export function attemptScores(
  db: Db,
  course: Course,
  userId: number,
  exerciseId: string,
  audience: Audience,
): Map<number, ScoreView> {
  const breakdowns = attemptBreakdowns(db, course, userId, exerciseId);
  const scoring = scoringOf(course, exerciseId);
  const pick = counting(breakdowns, scoring, (b) => visibleFinal(b, audience));
  const rows = attemptRows(db, userId, exerciseId);
  return new Map(
    breakdowns.map((b) => [
      b.submissionId,
      viewOf(b, audience, rows.get(b.submissionId), b.submissionId === pick?.submissionId, scoring),
    ]),
  );
}

/** The attempt whose score is the grade, as `audience` sees it; undefined when nothing is graded. */
export function exerciseScore(
  db: Db,
  course: Course,
  userId: number,
  exerciseId: string,
  audience: Audience,
): ScoreView | undefined {
  return [...attemptScores(db, course, userId, exerciseId, audience).values()].find((v) => v.counts);
}

/** One submission's score as `audience` sees it; undefined when it has no graded result in force. */
export function submissionScore(
  db: Db,
  course: Course,
  submission: { id: number; userId: number; exerciseId: string },
  audience: Audience,
): ScoreView | undefined {
  return attemptScores(db, course, submission.userId, submission.exerciseId, audience).get(submission.id);
}
