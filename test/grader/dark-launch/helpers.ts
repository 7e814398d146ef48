import type { DarkLaunchExercise } from "../../../grader/dark-launch/grade";
import type { DarkLaunchBody } from "../../../grader/dark-launch/kind";
import type { GradingResult } from "../../../grader/result";
import { codeSamples, loadExerciseFiles, readExerciseText } from "../../helpers/exercise-folder";

export { failing } from "../../helpers/exercise-folder";

export async function loadExercise(): Promise<DarkLaunchExercise> {
  const exercise = await loadExerciseFiles<DarkLaunchBody>("dark-launch-flag");
  return { id: exercise.id, rules: exercise.body.rules };
}

export const readExerciseFile = (name: string) => readExerciseText("dark-launch-flag", name);
export const readSamples = () => codeSamples("dark-launch-flag");

export function test(result: GradingResult, id: string) {
  const found = result.tests.find((t) => t.id === id);
  if (!found) throw new Error(`no test ${id}`);
  return found;
}
