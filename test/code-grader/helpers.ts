import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import type { GradingResult } from "../../grader/result";
import { loadCodeExercise } from "../../grader/code/load-exercise";

export const EXERCISE_DIR = join(import.meta.dirname, "../../exercises/checkout-fallbacks");

export const loadExercise = (oracleFile?: string) => loadCodeExercise(EXERCISE_DIR, "checkout-fallbacks", oracleFile);

export const readExerciseFile = (name: string) => readFile(join(EXERCISE_DIR, name), "utf8");

export interface SampleFile {
  name: string;
  failing: string[];
  answer: string;
}

export async function readSamples(): Promise<SampleFile[]> {
  const dir = join(EXERCISE_DIR, "samples");
  const names = (await readdir(dir)).filter((n) => n.endsWith(".yaml")).sort();
  return Promise.all(
    names.map(async (n) => {
      const data = parse(await readFile(join(dir, n), "utf8")) as { expect: { failing: string[] }; answer: string };
      return { name: n.replace(/\.yaml$/, ""), failing: data.expect.failing, answer: data.answer };
    }),
  );
}

export function failing(result: GradingResult): string[] {
  return result.tests.filter((t) => t.status === "fail").map((t) => t.id).sort();
}

/** Executions per fixture, read from the fault-space table in the result's details. */
export function executionsPerFixture(result: GradingResult): Record<string, number> {
  const details = result.details as { faultSpace: { fixture: string; executions: number }[] };
  return Object.fromEntries(details.faultSpace.map((t) => [t.fixture, t.executions]));
}
