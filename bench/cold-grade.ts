/**
 * A cold `flagship grade`: a fresh process that loads the exercise, transpiles the answer, starts a
 * sandboxed engine host and grades, as a student or an instructor runs it from a terminal. Printed
 * beside a bare `node -e ""` start measured in the same run, so the ratio holds on a busy machine
 * too. Target: under one second on an idle machine.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** Rounds; each runs a bare start and every case once, so a burst of load on a shared machine lands on all alike. */
const ROUNDS = 9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timeRun(args: string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  if (run.status !== 0) throw new Error(`node ${args.join(" ")} exited ${run.status}: ${run.stderr.toString()}`);
  return performance.now() - start;
}

export function benchColdGrade(): Promise<void> {
  const cli = join("bin", "flagship.js");
  const cases: [string, string][] = [
    ["checkout-fallbacks", "exercises/checkout-fallbacks/solution.ts"],
    ["dark-launch-flag", "exercises/dark-launch-flag/solution.ts"],
    ["rollout-plan", "exercises/rollout-plan/reference.yaml"],
  ];
  timeRun([cli, "grade", ...cases[0]!]); // builds dist/ if it is stale, outside the figures
  const bare: number[] = [];
  const times = cases.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(timeRun(["-e", ""]));
    cases.forEach(([id, file], i) => times[i]!.push(timeRun([cli, "grade", id, file])));
  }
  console.log(`  bare node start: median ${median(bare).toFixed(0)} ms (${ROUNDS} rounds, each case once a round)`);
  cases.forEach(([id], i) => {
    const m = median(times[i]!);
    console.log(
      `  flagship grade ${id}: median ${m.toFixed(0)} ms, ${(m / median(bare)).toFixed(1)}× a bare node start (target: under 1,000 ms idle)`,
    );
  });
  return Promise.resolve();
}
