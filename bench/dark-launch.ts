/**
 * Time to grade one dark-launch submission end to end (transpile, sandbox start, every generated
 * input, the ramp population, judging, shrinking) for the reference and for a buggy submission that
 * needs shrinking.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { gradeDarkLaunch } from "../grader/dark-launch/grade";
import { darkLaunchRulesSchema } from "../grader/dark-launch/rules-schema";

const DIR = join(process.cwd(), "exercises/dark-launch-flag");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function benchDarkLaunch(runs = 10): Promise<void> {
  const rules = darkLaunchRulesSchema.parse(parse(await readFile(join(DIR, "rules.yaml"), "utf8")));
  const exercise = { id: "dark-launch-flag", rules };
  const sample = (parse(await readFile(join(DIR, "samples/off-by-one-bucket.yaml"), "utf8")) as { answer: string }).answer;
  const submissions: [string, string][] = [
    ["solution.ts", await readFile(join(DIR, "solution.ts"), "utf8")],
    ["samples/off-by-one-bucket", sample],
  ];
  for (const [name, source] of submissions) {
    await gradeDarkLaunch(exercise, source); // warm-up: sandbox probe, esbuild service
    const times: number[] = [];
    let executions = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const result = await gradeDarkLaunch(exercise, source);
      times.push(performance.now() - start);
      executions = result.executions ?? 0;
      if (result.status !== "graded") throw new Error(`${name} was not graded: ${result.error ?? ""}`);
    }
    times.sort((a, b) => a - b);
    console.log(`${name.padEnd(28)} ${executions} executions  median ${percentile(times, 50).toFixed(0)} ms  p95 ${percentile(times, 95).toFixed(0)} ms  (${runs} runs)`);
  }
}
