/**
 * Time to grade one code submission end to end (transpile, sandbox start, every execution, judging)
 * for the checkout exercise's reference and for the solution that retries each read once.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gradeCode } from "../grader/code/grade";
import { loadCodeExercise } from "../grader/code/load-exercise";

const DIR = join(process.cwd(), "exercises/checkout-fallbacks");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function benchCodeGrading(runs = 20): Promise<void> {
  const exercise = await loadCodeExercise(DIR, "checkout-fallbacks");
  for (const file of ["solution.ts", "solution-retry-reads.ts"]) {
    const source = await readFile(join(DIR, file), "utf8");
    await gradeCode(exercise, source); // warm-up: sandbox probe, esbuild service
    const times: number[] = [];
    let executions = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const result = await gradeCode(exercise, source);
      times.push(performance.now() - start);
      executions = result.executions ?? 0;
      if (result.score !== result.maxScore) throw new Error(`${file} lost points: ${JSON.stringify(result.tests.filter((t) => t.status === "fail"))}`);
    }
    times.sort((a, b) => a - b);
    console.log(`${file.padEnd(26)} ${executions} executions  median ${percentile(times, 50).toFixed(0)} ms  p95 ${percentile(times, 95).toFixed(0)} ms  (${runs} runs)`);
  }
}
