/**
 * What a queue worker does with a job: find the exercise and grade the stored answer with its kind.
 * Code answers also get the type warnings of their source against the kind's declared module, shown
 * beside the grading and never scored.
 */
import { isCodeExercise, type Course } from "../course";
import { gradeAnswer } from "../../grader/exercises";
import { errorResult, type GradingResult } from "../../grader/result";
import { typecheckSubmission } from "../../grader/code/typecheck";
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

export function gradeJobFor(course: Course): GradeJob {
  return async (job) => {
    const entry = course.exerciseById(job.exerciseId);
    if (!entry) return errorResult(0, `The exercise "${job.exerciseId}" is no longer part of the course.`);
    if (!isCodeExercise(entry)) return gradeAnswer(entry.exercise, job.answer);
    // Code answers are stored as { code } so the row stays an object; the code kind grades the text.
    const code = (job.answer as { code?: unknown }).code;
    const result = await gradeAnswer(entry.exercise, code);
    return typeof code === "string" ? withWarnings(result, code, entry.exercise.kind) : result;
  };
}
