/** Grades an answer with the exercise's kind; the one entry point for the server, the CLI and the checks. */
import { errorResult } from "../result";
import type { GradingResult } from "../result";
import { findKind } from "./kinds";
import type { Exercise } from "./types";

/** Never throws: an unknown kind or a grader crash becomes an "error" result with the reason. */
export async function gradeAnswer(exercise: Exercise, answer: unknown): Promise<GradingResult> {
  const kind = await findKind(exercise.kind);
  if (!kind) return errorResult(exercise.points, `No grader is registered for exercises of kind "${exercise.kind}".`);
  try {
    return await kind.grade(exercise, answer);
  } catch (e) {
    return errorResult(exercise.points, `The grader failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
