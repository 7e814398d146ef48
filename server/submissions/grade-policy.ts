/** How an exercise's grade follows from its attempts: the best graded score, or the last one. */
import type { Submission } from "./submissions";

export type ScoringPolicy = "best" | "last";

export interface ExerciseGrade {
  score: number;
  maxScore: number;
  /** The submission whose score counts. */
  submissionId: number;
}

/** `submissions` may be in any order; only graded ones count. Undefined when nothing is graded yet. */
export function exerciseGrade(submissions: readonly Submission[], policy: ScoringPolicy): ExerciseGrade | undefined {
  const graded = submissions
    .filter((s) => s.status === "graded" && s.score !== null && s.maxScore !== null)
    .sort((a, b) => a.id - b.id);
  if (graded.length === 0) return undefined;
  const pick =
    policy === "last"
      ? graded[graded.length - 1]
      : graded.reduce((best, s) => ((s.score ?? 0) > (best.score ?? 0) ? s : best));
  if (!pick) return undefined;
  return { score: pick.score ?? 0, maxScore: pick.maxScore ?? 0, submissionId: pick.id };
}
