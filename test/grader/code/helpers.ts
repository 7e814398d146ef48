import type { CodeBody } from "../../../grader/code/kind";
import type { CodeExercise } from "../../../grader/code/grade";
import { oracleSchema } from "../../../grader/code/oracle-schema";
import { readDataFile } from "../../../grader/exercises";
import type { GradingResult } from "../../../grader/result";
import { validate } from "../../../grader/validation";
import { codeSamples, exerciseDir, loadExerciseFiles, readExerciseText } from "../../helpers/exercise-folder";

export const EXERCISE_DIR = exerciseDir("checkout-fallbacks");

/** The checkout exercise as the product loads it. */
export async function loadExercise(): Promise<CodeExercise> {
  const exercise = await loadExerciseFiles<CodeBody>("checkout-fallbacks");
  return { id: exercise.id, oracle: exercise.body.oracle };
}

/** An instructor's variant of the oracle, read and validated as the loader reads an oracle file. */
export async function loadOracleVariant(file: string): Promise<CodeExercise> {
  const raw = await readDataFile(file);
  if (!raw.ok) throw new Error(`${file}: ${raw.issue.message}`);
  const oracle = validate(oracleSchema, raw.data);
  if (!oracle.ok) throw new Error(`${file}: ${oracle.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  return { id: "checkout-variant", oracle: oracle.data };
}

export const readExerciseFile = (name: string) => readExerciseText("checkout-fallbacks", name);

export const readSamples = () => codeSamples("checkout-fallbacks");
export { failing } from "../../helpers/exercise-folder";

/** Executions per fixture, read from the fault-space table in the result's details. */
export function executionsPerFixture(result: GradingResult): Record<string, number> {
  const details = result.details as { faultSpace: { fixture: string; executions: number }[] };
  return Object.fromEntries(details.faultSpace.map((t) => [t.fixture, t.executions]));
}
