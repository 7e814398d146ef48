/**
 * The golden-sample contract of an exercise: its reference answer earns full marks, and each wrong
 * answer in samples/ gets exactly the result stored beside it. Kind-agnostic: it only looks at the
 * GradingResult, so code exercises can ship samples the same way.
 *
 * A sample is `samples/<name>.yaml` with `description`, `expect.failing` (the ids of the tests it must
 * fail) and `answer`; its golden result is `samples/<name>.result.json`.
 */
import { readdir, writeFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { z } from "zod";
import type { GradingResult } from "../result";
import { validate } from "../validation";
import { gradeAnswer } from "./grade";
import { findKind } from "./kinds";
import { readDataFile } from "./loader";
import type { Exercise, LoadIssue } from "./types";

export const SAMPLES_DIR = "samples";

export const sampleSchema = z.strictObject({
  description: z.string().min(1),
  expect: z.strictObject({ failing: z.array(z.string().min(1)).min(1, "a sample is a wrong answer: name at least one failing test") }),
  answer: z.unknown(),
});

export interface Sample {
  name: string;
  file: string;
  goldenFile: string;
  description: string;
  failing: string[];
  answer: unknown;
}

async function listSampleFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, SAMPLES_DIR))).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return [];
  }
}

export async function loadSamples(exercise: Exercise): Promise<{ samples: Sample[]; issues: LoadIssue[] }> {
  const samples: Sample[] = [];
  const issues: LoadIssue[] = [];
  for (const name of await listSampleFiles(exercise.dir)) {
    const file = join(exercise.dir, SAMPLES_DIR, name);
    const raw = await readDataFile(file);
    if (!raw.ok) {
      issues.push(raw.issue);
      continue;
    }
    const parsed = validate(sampleSchema, raw.data);
    if (!parsed.ok) {
      issues.push(...parsed.issues.map((i) => ({ file, path: i.path, message: i.message })));
      continue;
    }
    const base = name.replace(/\.ya?ml$/, "");
    samples.push({
      name: base,
      file,
      goldenFile: join(exercise.dir, SAMPLES_DIR, `${base}.result.json`),
      description: parsed.data.description,
      failing: parsed.data.expect.failing,
      answer: parsed.data.answer,
    });
  }
  return { samples, issues };
}

function failingIds(result: GradingResult): string[] {
  return result.tests.filter((t) => t.status === "fail").map((t) => t.id).sort();
}

/** Everything `flagship exercises check` verifies beyond loading, for one exercise. */
export async function checkExerciseSamples(exercise: Exercise): Promise<LoadIssue[]> {
  const issues: LoadIssue[] = [];
  const kind = findKind(exercise.kind);
  if (!kind) return [{ file: exercise.manifestPath, path: "kind", message: `no grader registered for "${exercise.kind}"` }];

  const reference = await gradeAnswer(exercise, kind.referenceAnswer(exercise));
  if (reference.status !== "graded" || reference.score !== reference.maxScore) {
    const missed = failingIds(reference);
    const why = reference.error ?? `fails ${missed.join(", ")}`;
    issues.push({ file: exercise.manifestPath, path: "reference", message: `the reference answer must earn full marks but scores ${reference.score}/${reference.maxScore} (${why})` });
  }
  if (reference.maxScore !== exercise.points) {
    issues.push({ file: exercise.manifestPath, path: "points", message: `is ${exercise.points} but grading gives a maximum of ${reference.maxScore}` });
  }

  const { samples, issues: sampleIssues } = await loadSamples(exercise);
  issues.push(...sampleIssues);
  const everFailed = new Set<string>();
  for (const sample of samples) {
    const result = await gradeAnswer(exercise, sample.answer);
    issues.push(...checkSampleResult(sample, result));
    for (const id of failingIds(result)) everFailed.add(id);
    const golden = await readDataFile(sample.goldenFile);
    if (!golden.ok) issues.push({ file: sample.goldenFile, path: "(file)", message: "missing or unreadable golden result; review the sample, then run `flagship exercises check --update`" });
    else if (!isDeepStrictEqual(golden.data, JSON.parse(JSON.stringify(result)))) {
      issues.push({ file: sample.goldenFile, path: "(file)", message: "differs from the result the grader gives now; if the change is intended, run `flagship exercises check --update` and review the diff" });
    }
  }
  for (const test of reference.tests) {
    if (!everFailed.has(test.id)) {
      issues.push({ file: join(exercise.dir, SAMPLES_DIR), path: "(folder)", message: `no sample shows test "${test.id}" failing; add one` });
    }
  }
  return issues;
}

/** A sample must be graded, fail exactly the tests it declares, and lose exactly their points. */
export function checkSampleResult(sample: Sample, result: GradingResult): LoadIssue[] {
  const at = (path: string, message: string): LoadIssue => ({ file: sample.file, path, message });
  if (result.status !== "graded") return [at("answer", `could not be graded: ${result.error ?? "unknown error"}`)];
  const issues: LoadIssue[] = [];
  const actual = failingIds(result);
  const declared = [...sample.failing].sort();
  if (!isDeepStrictEqual(actual, declared)) {
    issues.push(at("expect.failing", `declares [${declared.join(", ")}] but the grader fails [${actual.join(", ")}]`));
  }
  const lost = result.tests.filter((t) => t.status === "fail").reduce((sum, t) => sum + t.maxPoints, 0);
  if (Math.abs(result.maxScore - lost - result.score) > 1e-9) {
    issues.push(at("answer", `scores ${result.score} but should lose exactly the ${lost} points of its failing tests`));
  }
  return issues;
}

/** Writes each sample's current result as its golden file; returns the files written. */
export async function updateGoldens(exercise: Exercise): Promise<string[]> {
  const { samples } = await loadSamples(exercise);
  const written: string[] = [];
  for (const sample of samples) {
    const result = await gradeAnswer(exercise, sample.answer);
    await writeFile(sample.goldenFile, `${JSON.stringify(result, null, 2)}\n`);
    written.push(sample.goldenFile);
  }
  return written;
}
