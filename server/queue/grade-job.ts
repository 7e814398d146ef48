/**
 * What a queue worker does with a job: find the exercise and grade the stored answer with its kind.
 * Code answers also get the type warnings of their source against the kind's declared module, shown
 * beside the grading and never scored. The Redis grader worker calls `gradeExerciseAnswer` with an
 * exercise it loaded from its own disk, with no course, database or web settings.
 */
import type { Course } from "../course";
import { gradeAnswer, type Exercise } from "../../grader/exercises";
import { errorResult, type GradingResult } from "../../grader/result";
import { typecheckSubmission } from "../../grader/sandbox/typecheck";
import type { GradeJob } from "./local-queue";
import { declaredModuleFor } from "./declared-types";

/** Results worth warning beside: a grade, or an error the code caused. Not compile or machinery failures. */
function withWarnings(result: GradingResult, code: string, kind: string): GradingResult {
  if (result.status !== "graded" && result.status !== "error") return result;
  const declared = declaredModuleFor(kind);
  if (!declared) return result;
  const warnings = typecheckSubmission(code, declared);
  return warnings.length > 0 ? { ...result, warnings } : result;
}

/** Grades a stored answer: a structured answer as it is, a code answer (`{ code }`) by its text. */
export async function gradeExerciseAnswer(exercise: Exercise, answer: unknown): Promise<GradingResult> {
  if (exercise.answerShape) return gradeAnswer(exercise, answer);
  // Code answers are stored as { code } so the row stays an object; the code kind grades the text.
  const code = (answer as { code?: unknown } | null)?.code;
  const result = await gradeAnswer(exercise, code);
  return typeof code === "string" ? withWarnings(result, code, exercise.kind) : result;
}

export function gradeJobFor(course: Course): GradeJob {
  return async (job) => {
    const entry = course.exerciseById(job.exerciseId);
    if (!entry) return errorResult(0, `The exercise "${job.exerciseId}" is no longer part of the course.`);
    return gradeExerciseAnswer(entry.exercise, job.answer);
  };
}
