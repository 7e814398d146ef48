/**
 * Reads an exercise folder the way the product does (grader/exercises: the kind's own prepare, the
 * sample loader), for tests that call a grader directly. A folder that does not load fails the test.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { issuesToText, loadExerciseFolder, type Exercise } from "../../grader/exercises";
import { loadSamples } from "../../grader/exercises/samples";
import type { GradingResult } from "../../grader/result";

export const exerciseDir = (id: string) => join(import.meta.dirname, "../../exercises", id);

export async function loadExerciseFiles<Body>(id: string): Promise<Exercise<Body>> {
  const { exercise, issues } = await loadExerciseFolder(exerciseDir(id), id);
  if (!exercise) throw new Error(`exercises/${id} does not load:\n${issuesToText(issues)}`);
  return exercise as Exercise<Body>;
}

export const readExerciseText = (id: string, name: string) => readFile(join(exerciseDir(id), name), "utf8");

export interface CodeSample {
  name: string;
  failing: string[];
  answer: string;
  golden: unknown;
}

/** A code exercise's samples with their golden results. */
export async function codeSamples(id: string): Promise<CodeSample[]> {
  const { samples, issues } = await loadSamples(await loadExerciseFiles(id));
  if (issues.length) throw new Error(issuesToText(issues));
  return Promise.all(
    samples.map(async (s) => ({
      name: s.name,
      failing: s.failing,
      answer: String(s.answer),
      golden: JSON.parse(await readFile(s.goldenFile, "utf8")) as unknown,
    })),
  );
}

export function failing(result: GradingResult): string[] {
  return result.tests
    .filter((t) => t.status === "fail")
    .map((t) => t.id)
    .sort();
}
