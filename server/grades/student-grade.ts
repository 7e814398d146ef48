/**
 * The grade a student sees for an exercise on their own pages: the final grade once staff released
 * manual feedback, else the automatic score after any late penalty (see GradeBreakdown.studentScore).
 */
import type { Db } from "../db/database";
import type { Course } from "../course";
import { attemptBreakdowns, counting, scoringOf } from "./final-grade";

export interface ExerciseGrade {
  score: number;
  maxScore: number;
  /** The submission whose score counts under the exercise's policy (best or last). */
  submissionId: number;
}

export function studentGrade(db: Db, course: Course, userId: number, exerciseId: string): ExerciseGrade | undefined {
  // Chosen by the scores the student can see: picking by the final score would let held manual
  // feedback (an override, say) move the "counts" mark and hint at what is not released yet.
  const breakdown = counting(attemptBreakdowns(db, course, userId, exerciseId), scoringOf(course, exerciseId), (b) => b.studentScore);
  return breakdown && { score: breakdown.studentScore, maxScore: breakdown.max, submissionId: breakdown.submissionId };
}
