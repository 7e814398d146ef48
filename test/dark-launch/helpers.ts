import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { darkLaunchRulesSchema } from "../../grader/dark-launch/rules-schema";
import type { DarkLaunchExercise } from "../../grader/dark-launch/grade";
import type { GradingResult } from "../../grader/result";

export const EXERCISE_DIR = join(import.meta.dirname, "../../exercises/dark-launch-flag");

export async function loadExercise(): Promise<DarkLaunchExercise> {
  const rules = darkLaunchRulesSchema.parse(parse(await readFile(join(EXERCISE_DIR, "rules.yaml"), "utf8")));
  return { id: "dark-launch-flag", rules };
}

export const readExerciseFile = (name: string) => readFile(join(EXERCISE_DIR, name), "utf8");

export interface SampleFile {
  name: string;
  failing: string[];
  answer: string;
  golden: unknown;
}

export async function readSamples(): Promise<SampleFile[]> {
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

export function test(result: GradingResult, id: string) {
  const found = result.tests.find((t) => t.id === id);
  if (!found) throw new Error(`no test ${id}`);
  return found;
}
