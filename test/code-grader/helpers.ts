import type { GradingResult } from "../../grader/result";
import { loadCodeExercise } from "../../grader/code/load-exercise";
import { codeSamples, exerciseDir, readExerciseText } from "../helpers/exercise-folder";

export const EXERCISE_DIR = exerciseDir("checkout-fallbacks");

export const loadExercise = (oracleFile?: string) => loadCodeExercise(EXERCISE_DIR, "checkout-fallbacks", oracleFile);

export const readExerciseFile = (name: string) => readExerciseText("checkout-fallbacks", name);

export const readSamples = () => codeSamples("checkout-fallbacks");
export { failing } from "../helpers/exercise-folder";

/** Executions per fixture, read from the fault-space table in the result's details. */
export function executionsPerFixture(result: GradingResult): Record<string, number> {
  const details = result.details as { faultSpace: { fixture: string; executions: number }[] };
  return Object.fromEntries(details.faultSpace.map((t) => [t.fixture, t.executions]));
}
