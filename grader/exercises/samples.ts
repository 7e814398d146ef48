/**
 * The golden-sample contract of an exercise: its reference answer earns full marks, and each wrong
 * answer in samples/ gets exactly the result stored beside it. Kind-agnostic: it only looks at the
 * GradingResult, so code exercises can ship samples the same way.
 *
 * A sample is `samples/<name>.yaml` with `description`, `expect.failing` (the ids of the tests it must
 * fail) and `answer`; its golden result is `samples/<name>.result.json`. Its `category` says what it
 * shows (see exercises/README.md, "The rubric standard"): a `correct` answer in other words than the
 * reference (fails nothing), a `gaming` attempt (`tactic`: stuffing, hedging or contradiction) that
 * must not earn full marks, a `one-mistake` answer that fails exactly one rule, or any other `wrong`
 * answer.
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
import { checkMissingSteps } from "./missing-steps";
import type { Exercise, LoadIssue } from "./types";

export const SAMPLES_DIR = "samples";

export const SAMPLE_CATEGORIES = ["correct", "gaming", "one-mistake", "wrong"] as const;
export type SampleCategory = (typeof SAMPLE_CATEGORIES)[number];
export const GAMING_TACTICS = ["stuffing", "hedging", "contradiction"] as const;

export const sampleSchema = z
  .strictObject({
    category: z.enum(SAMPLE_CATEGORIES).default("wrong"),
    /** For `gaming` samples: how the answer tries to game the rubric. */
    tactic: z.enum(GAMING_TACTICS).optional(),
    description: z.string().min(1),
    expect: z.strictObject({ failing: z.array(z.string().min(1)) }),
    answer: z.unknown(),
  })
  .superRefine((s, ctx) => {
    const failing = s.expect.failing.length;
    const at = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (s.category === "correct" && failing > 0)
      at(["expect", "failing"], "a correct sample fails nothing: leave the list empty");
    if (s.category !== "correct" && failing === 0)
      at(["expect", "failing"], "a wrong answer must name at least one failing test");
    if (s.category === "one-mistake" && failing !== 1)
      at(["expect", "failing"], "a one-mistake sample fails exactly one rule");
    if (s.category === "gaming" && !s.tactic)
      at(["tactic"], `a gaming sample names its tactic (${GAMING_TACTICS.join(", ")})`);
    if (s.category !== "gaming" && s.tactic) at(["tactic"], "only gaming samples have a tactic");
  });

export interface Sample {
  name: string;
  category: SampleCategory;
  tactic?: (typeof GAMING_TACTICS)[number];
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
      category: parsed.data.category,
      ...(parsed.data.tactic ? { tactic: parsed.data.tactic } : {}),
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
  return result.tests
    .filter((t) => t.status === "fail")
    .map((t) => t.id)
    .sort();
}

/** Everything `flagship exercises check` verifies beyond loading, for one exercise. */
/** How an answer gets graded; a caller that grades the same answers again can pass one that remembers. */
export type GradeFn = (answer: unknown) => Promise<GradingResult>;

export async function checkExerciseSamples(
  exercise: Exercise,
  grade: GradeFn = (answer) => gradeAnswer(exercise, answer),
): Promise<LoadIssue[]> {
  const issues: LoadIssue[] = [];
  const kind = await findKind(exercise.kind);
  if (!kind)
    return [{ file: exercise.manifestPath, path: "kind", message: `no grader registered for "${exercise.kind}"` }];

  const reference = await grade(kind.referenceAnswer(exercise));
  if (reference.status !== "graded" || reference.score !== reference.maxScore) {
    const missed = failingIds(reference);
    const why = reference.error ?? `fails ${missed.join(", ")}`;
    issues.push({
      file: exercise.manifestPath,
      path: "reference",
      message: `the reference answer must earn full marks but scores ${reference.score}/${reference.maxScore} (${why})`,
    });
  }
  if (reference.maxScore !== exercise.points) {
    issues.push({
      file: exercise.manifestPath,
      path: "points",
      message: `is ${exercise.points} but grading gives a maximum of ${reference.maxScore}`,
    });
  }

  const { samples, issues: sampleIssues } = await loadSamples(exercise);
  issues.push(...sampleIssues);
  const everFailed = new Set<string>();
  for (const sample of samples) {
    const result = await grade(sample.answer);
    issues.push(...checkSampleResult(sample, result));
    for (const id of failingIds(result)) everFailed.add(id);
    const golden = await readDataFile(sample.goldenFile);
    if (!golden.ok)
      issues.push({
        file: sample.goldenFile,
        path: "(file)",
        message: "missing or unreadable golden result; review the sample, then run `flagship exercises check --update`",
      });
    else if (!isDeepStrictEqual(golden.data, JSON.parse(JSON.stringify(result)))) {
      issues.push({
        file: sample.goldenFile,
        path: "(file)",
        message:
          "differs from the result the grader gives now; if the change is intended, run `flagship exercises check --update` and review the diff",
      });
    }
  }
  for (const test of reference.tests) {
    if (!everFailed.has(test.id)) {
      issues.push({
        file: join(exercise.dir, SAMPLES_DIR),
        path: "(folder)",
        message: `no sample shows test "${test.id}" failing; add one`,
      });
    }
  }
  // Answers written through a form are held to the rubric standard's sample categories.
  if (exercise.answerShape)
    issues.push(...checkSampleCategories(exercise, reference, samples, kind.referenceAnswer(exercise)));
  if (exercise.answerShape) issues.push(...(await checkMissingSteps(exercise, kind.referenceAnswer(exercise))));
  return issues;
}

/** Minimum counts of the rubric standard (exercises/README.md). */
export const MIN_CORRECT_SAMPLES = 3;

/**
 * The rubric standard's sample categories: at least three correct answers, each different from the
 * reference and from each other; a gaming attempt of every tactic; and for every rule a one-mistake
 * sample that fails exactly that rule (that it fails only that rule is checked per sample).
 */
export function checkSampleCategories(
  exercise: Exercise,
  reference: GradingResult,
  samples: readonly Sample[],
  referenceAnswer: unknown,
): LoadIssue[] {
  const folder = join(exercise.dir, SAMPLES_DIR);
  const issues: LoadIssue[] = [];
  const correct = samples.filter((s) => s.category === "correct");
  if (correct.length < MIN_CORRECT_SAMPLES) {
    issues.push({
      file: folder,
      path: "(folder)",
      message: `has ${correct.length} correct sample(s); the standard needs at least ${MIN_CORRECT_SAMPLES}, phrased differently from the reference`,
    });
  }
  const seen: unknown[] = [referenceAnswer];
  for (const sample of correct) {
    if (seen.some((other) => isDeepStrictEqual(other, sample.answer))) {
      issues.push({
        file: sample.file,
        path: "answer",
        message:
          "is the same as the reference or another correct sample; a correct sample shows another way to be right",
      });
    }
    seen.push(sample.answer);
  }
  for (const tactic of GAMING_TACTICS) {
    if (!samples.some((s) => s.category === "gaming" && s.tactic === tactic)) {
      issues.push({
        file: folder,
        path: "(folder)",
        message: `no gaming sample with tactic "${tactic}"; add one that tries it and show which rule stops it`,
      });
    }
  }
  for (const test of reference.tests) {
    if (!samples.some((s) => s.category === "one-mistake" && s.failing.length === 1 && s.failing[0] === test.id)) {
      issues.push({
        file: folder,
        path: "(folder)",
        message: `no one-mistake sample for rule "${test.id}": add an answer with exactly that one mistake, which must lose exactly that rule`,
      });
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
