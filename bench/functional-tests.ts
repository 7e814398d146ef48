/**
 * Time to grade one functional-tests submission end to end (transpile, sandbox start, listing, every
 * test against the reference and each mutant, judging) for the reference suite and the happy-path
 * starter.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { gradeFunctionalTests } from "../grader/functional-tests/grade";
import { functionalTestsOracleSchema } from "../grader/functional-tests/oracle-schema";

const DIR = join(process.cwd(), "exercises/functional-tests");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function benchFunctionalTests(runs = 20): Promise<void> {
  const oracle = functionalTestsOracleSchema.parse(parse(await readFile(join(DIR, "mutants.yaml"), "utf8")));
  const exercise = { id: "functional-tests", oracle };
  for (const file of ["solution.ts", "starter.ts"]) {
    const source = await readFile(join(DIR, file), "utf8");
    await gradeFunctionalTests(exercise, source); // warm-up: sandbox probe, esbuild service
    const times: number[] = [];
    let executions = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const result = await gradeFunctionalTests(exercise, source);
      times.push(performance.now() - start);
      executions = result.executions ?? 0;
      if (result.status !== "graded") throw new Error(`${file} was not graded: ${result.error ?? ""}`);
    }
    times.sort((a, b) => a - b);
    console.log(`${file.padEnd(28)} ${executions} executions  median ${percentile(times, 50).toFixed(0)} ms  p95 ${percentile(times, 95).toFixed(0)} ms  (${runs} runs)`);
  }
}
