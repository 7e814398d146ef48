import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import type { FunctionalTestsExercise } from "../../grader/functional-tests/grade";
import { functionalTestsOracleSchema } from "../../grader/functional-tests/oracle-schema";
import type { GradingResult } from "../../grader/result";

export const EXERCISE_DIR = join(import.meta.dirname, "../../exercises/functional-tests");

export async function loadExercise(): Promise<FunctionalTestsExercise> {
  const oracle = functionalTestsOracleSchema.parse(parse(await readFile(join(EXERCISE_DIR, "mutants.yaml"), "utf8")));
  return { id: "functional-tests", oracle };
}

export const readExerciseFile = (name: string) => readFile(join(EXERCISE_DIR, name), "utf8");

export async function readSamples(): Promise<{ name: string; failing: string[]; answer: string; golden: unknown }[]> {
  const dir = join(EXERCISE_DIR, "samples");
  const names = (await readdir(dir)).filter((n) => n.endsWith(".yaml")).sort();
  return Promise.all(
    names.map(async (n) => {
      const data = parse(await readFile(join(dir, n), "utf8")) as { expect: { failing: string[] }; answer: string };
      const golden: unknown = JSON.parse(await readFile(join(dir, n.replace(/\.yaml$/, ".result.json")), "utf8"));
      return { name: n.replace(/\.yaml$/, ""), failing: data.expect.failing, answer: data.answer, golden };
    }),
  );
}

export function failing(result: GradingResult): string[] {
  return result.tests.filter((t) => t.status === "fail").map((t) => t.id).sort();
}

export interface SuiteDetails {
  sandbox: string;
  tests: { name: string; status: "pass" | "fail"; failure?: string; assertions: number; checkouts: number; caught: string[] }[];
  mutants: { id: string; behaviour: string; caught: boolean }[];
  mutantsCaught: number;
  mutantsTotal: number;
}

export const detailsOf = (result: GradingResult) => result.details as unknown as SuiteDetails;

/** A one-test file around `body`, which runs inside `async ({ checkout, mocks, flags, expect }) => { ... }`. */
export function oneTest(body: string, name = "probe"): string {
  return `import { test } from "flagship:testing";\n\ntest(${JSON.stringify(name)}, async ({ checkout, mocks, flags, expect }) => {\n  const g = globalThis as any;\n${body}\n});\n`;
}
