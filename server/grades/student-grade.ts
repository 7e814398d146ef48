/**
 * The grade a student sees for an exercise on their own pages: the final grade once staff released
 * manual feedback, else the automatic score after any late penalty. It is the student's ScoreView of
 * the counting attempt (score-view.ts), so every page shows the same number.
 */
import type { Db } from "../db/database";
import type { Course } from "../course";
import { exerciseScore, type ScoreView } from "./score-view";

export interface ExerciseGrade {
  score: number;
  maxScore: number;
  /** The submission whose score counts under the exercise's policy (best or last). */
  submissionId: number;
  view: ScoreView;
}

export function studentGrade(db: Db, course: Course, userId: number, exerciseId: string): ExerciseGrade | undefined {
  // Chosen by the scores the student can see: picking by the final score would let held manual
  // feedback (an override, say) move the "counts" mark and hint at what is not released yet.
  const view = exerciseScore(db, course, userId, exerciseId, "student");
  return view && { score: view.final, maxScore: view.max, submissionId: view.submissionId, view };
}
