/**
 * Time to grade one code submission end to end — transpile, sandbox start, every execution, judging
 * (and shrinking) — through gradeAnswer, the path the server's queue and the CLI take. Median and p95
 * over several runs after a warm-up (sandbox probe, esbuild service).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { gradeAnswer, issuesToText, loadExerciseFolder, type Exercise } from "../grader/exercises";
import type { CodeBody } from "../grader/code/kind";
import { gradeInProcess } from "./in-process-floor";

interface Case {
  exercise: string;
  /** A file of the exercise folder (or of `RETRY_VARIANTS` when it starts with "retry/"), or a sample whose `answer` is the code. */
  file: string;
  /** Whether the submission must earn full marks (a bench that grades wrongly is no figure). */
  full: boolean;
  runs: number;
}

const CASES: Case[] = [
  { exercise: "checkout-fallbacks", file: "solution.ts", full: true, runs: 20 },
  { exercise: "checkout-fallbacks", file: "solution-retry-reads.ts", full: true, runs: 20 },
  // The ways students retry (test/grader/code/retry-variants.test.ts checks them against the exhaustive search).
  { exercise: "checkout-fallbacks", file: "retry/backoff-retryable.ts", full: true, runs: 10 },
  { exercise: "checkout-fallbacks", file: "retry/any-error.ts", full: true, runs: 10 },
  { exercise: "checkout-fallbacks", file: "retry/time-budget.ts", full: true, runs: 10 },
  { exercise: "checkout-fallbacks", file: "retry/charge-idempotent.ts", full: true, runs: 10 },
  { exercise: "checkout-fallbacks", file: "retry/budget-per-read.ts", full: false, runs: 10 },
  { exercise: "checkout-fallbacks", file: "retry/forever.ts", full: false, runs: 10 },
  { exercise: "dark-launch-flag", file: "solution.ts", full: true, runs: 10 },
  { exercise: "dark-launch-flag", file: "samples/off-by-one-bucket.yaml", full: false, runs: 10 },
  { exercise: "functional-tests", file: "solution.ts", full: true, runs: 20 },
  { exercise: "functional-tests", file: "starter.ts", full: false, runs: 20 },
  { exercise: "gateway-fallbacks", file: "solution.ts", full: true, runs: 20 },
  { exercise: "gateway-fallbacks", file: "starter.ts", full: false, runs: 20 },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(id: string): Promise<Exercise> {
  const { exercise, issues } = await loadExerciseFolder(join(process.cwd(), "exercises", id), id);
  if (!exercise) throw new Error(issuesToText(issues));
  return exercise;
}

/** Retrying solutions of the checkout exercise, kept with the test that checks them. */
const RETRY_VARIANTS = join(process.cwd(), "test", "grader", "code", "fixtures");

async function source(exercise: Exercise, file: string): Promise<string> {
  const text = await readFile(join(file.startsWith("retry/") ? RETRY_VARIANTS : exercise.dir, file), "utf8");
  return file.endsWith(".yaml") ? String((parse(text) as { answer: unknown }).answer) : text;
}

export async function benchCodeGrading(): Promise<void> {
  for (const c of CASES) {
    const exercise = await load(c.exercise);
    const code = await source(exercise, c.file);
    await gradeAnswer(exercise, code);
    const times: number[] = [];
    let executions = 0;
    for (let i = 0; i < c.runs; i++) {
      const start = performance.now();
      const result = await gradeAnswer(exercise, code);
      times.push(performance.now() - start);
      executions = result.executions ?? 0;
      if (result.status !== "graded") throw new Error(`${c.exercise}/${c.file} was not graded: ${result.error ?? ""}`);
      if (c.full && result.score !== result.maxScore) throw new Error(`${c.exercise}/${c.file} lost points`);
    }
    times.sort((a, b) => a - b);
    const label = `${c.exercise}/${c.file}`.padEnd(54);
    console.log(
      `${label} ${String(executions).padStart(4)} executions  median ${percentile(times, 50).toFixed(0)} ms  p95 ${percentile(times, 95).toFixed(0)} ms  (${c.runs} runs)`,
    );
    if (c.exercise === "checkout-fallbacks" && !c.file.startsWith("retry/"))
      await printFloorRatio(exercise, code, executions, percentile(times, 50));
  }
}

/** The same grading in-process (bench/in-process-floor.ts), and how many times it the sandboxed one took. */
async function printFloorRatio(
  exercise: Exercise,
  code: string,
  executions: number,
  sandboxedMedian: number,
): Promise<void> {
  const oracle = (exercise.body as CodeBody).oracle;
  const floor: number[] = [];
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    const result = await gradeInProcess(oracle, code);
    floor.push(performance.now() - start);
    if (result.executions !== executions || result.score !== result.maxScore)
      throw new Error("the in-process floor explored a different space");
  }
  floor.sort((a, b) => a - b);
  const median = percentile(floor, 50);
  console.log(
    `${"  in-process floor, same executions".padEnd(54)} ${String(executions).padStart(4)} executions  median ${median.toFixed(1)} ms  → sandboxed ${(sandboxedMedian / median).toFixed(0)}× the floor (target ≤ 20×)`,
  );
}
