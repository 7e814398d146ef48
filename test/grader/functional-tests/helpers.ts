import type { FunctionalTestsExercise } from "../../../grader/functional-tests/grade";
import type { FunctionalTestsBody } from "../../../grader/functional-tests/kind";
import type { GradingResult } from "../../../grader/result";
import { codeSamples, loadExerciseFiles, readExerciseText } from "../../helpers/exercise-folder";

export { failing } from "../../helpers/exercise-folder";

export async function loadExercise(): Promise<FunctionalTestsExercise> {
  const exercise = await loadExerciseFiles<FunctionalTestsBody>("functional-tests");
  return { id: exercise.id, oracle: exercise.body.oracle };
}

export const readExerciseFile = (name: string) => readExerciseText("functional-tests", name);
export const readSamples = () => codeSamples("functional-tests");

export interface SuiteDetails {
  sandbox: string;
  tests: {
    name: string;
    status: "pass" | "fail";
    failure?: string;
    assertions: number;
    checkouts: number;
    caught: string[];
  }[];
  mutants: { id: string; behaviour: string; caught: boolean }[];
  mutantsCaught: number;
  mutantsTotal: number;
}

export const detailsOf = (result: GradingResult) => result.details as unknown as SuiteDetails;

/** A one-test file around `body`, which runs inside `async ({ checkout, mocks, flags, expect }) => { ... }`. */
export function oneTest(body: string, name = "probe"): string {
  return `import { test } from "flagship:testing";\n\ntest(${JSON.stringify(name)}, async ({ checkout, mocks, flags, expect }) => {\n  const g = globalThis as any;\n${body}\n});\n`;
}
