/**
 * The grade a student sees for an exercise on their own pages: the final grade once staff released
 * manual feedback, else the automatic score after any late penalty (see GradeBreakdown.studentScore).
 */
import type { Db } from "../db/database";
import type { Course } from "../course";
import { gradeBreakdown } from "./final-grade";

export interface ExerciseGrade {
  score: number;
  maxScore: number;
  /** The submission whose score counts under the exercise's policy (best or last). */
  submissionId: number;
}

export function studentGrade(db: Db, course: Course, userId: number, exerciseId: string): ExerciseGrade | undefined {
  const breakdown = gradeBreakdown(db, course, userId, exerciseId);
  return breakdown && { score: breakdown.studentScore, maxScore: breakdown.max, submissionId: breakdown.submissionId };
}
