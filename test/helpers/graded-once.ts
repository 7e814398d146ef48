/**
 * One grading per answer per test file: the golden-sample check and the per-sample assertions of a
 * sandboxed exercise read the same results, so the suite grades each golden sample once per run
 * (test/exercises/golden-samples.test.ts leaves these exercises to their own files).
 */
import { gradeAnswer, type Exercise } from "../../grader/exercises";
import type { GradeFn } from "../../grader/exercises/samples";
import type { GradingResult } from "../../grader/result";
import { loadExerciseFiles } from "./exercise-folder";

/** The exercises whose golden samples are checked in their own samples test, beside sandbox-specific assertions. */
export const SAMPLES_CHECKED_IN_OWN_FILE = ["checkout-fallbacks", "dark-launch-flag", "functional-tests"];

export interface GradedOnce {
  exercise: Exercise;
  grade: GradeFn;
}

export async function gradedOnce(id: string): Promise<GradedOnce> {
  const exercise = await loadExerciseFiles(id);
  const results = new Map<string, Promise<GradingResult>>();
  const grade: GradeFn = (answer) => {
    const key = JSON.stringify(answer);
    let result = results.get(key);
    if (!result) {
      result = gradeAnswer(exercise, answer);
      results.set(key, result);
    }
    return result;
  };
  return { exercise, grade };
}
