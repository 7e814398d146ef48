/**
 * Type warnings (grader/sandbox/typecheck.ts): the first check in a process (parsing the standard
 * library) and warm checks of the checkout reference, clean and with a missing response field.
 */
import { readFileSync } from "node:fs";
import { typecheckSubmission } from "../grader/sandbox/typecheck";

const RUNS = 40;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function benchTypecheck(): Promise<void> {
  const declared = { moduleName: "flagship:checkout", dts: readFileSync("grader/code/flagship-checkout.d.ts", "utf8") };
  const clean = readFileSync("exercises/checkout-fallbacks/solution.ts", "utf8");
  const missing = clean.replace(
    '{ status: "retry", reason: `pricing unavailable: ${describe(e)}` }',
    '{ status: "retry" }',
  );
  let start = performance.now();
  typecheckSubmission(clean, declared);
  console.log(`first check in the process (standard library parsed): ${(performance.now() - start).toFixed(0)} ms`);
  for (const [name, source] of [
    ["reference, no warning", clean],
    ["reference missing a response field, 1 warning", missing],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      start = performance.now();
      typecheckSubmission(source, declared);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(
      `warm, ${name}: median ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms over ${RUNS}`,
    );
  }
}
