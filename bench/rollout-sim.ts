/**
 * Policy-mode grading cost: how long grading the reference rollout policy takes over every hidden
 * seed of every scenario (the simulation, the decision rules and the result), as the median of a few
 * runs after one warm-up.
 */
import { performance } from "node:perf_hooks";
import { gradePolicyText } from "../grader/rollout-sim/grade";
import { DEFAULT_ROLLOUT_GRADING } from "../grader/rollout-sim/grading-config";
import { REFERENCE_POLICY_YAML } from "../grader/rollout-sim/reference-policies";

const RUNS = 5;

export async function benchRolloutSim(): Promise<void> {
  gradePolicyText(REFERENCE_POLICY_YAML, "yaml");
  const times: number[] = [];
  let minutes = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const result = gradePolicyText(REFERENCE_POLICY_YAML, "yaml");
    times.push(performance.now() - start);
    if (result.score !== result.maxScore) throw new Error(`the reference policy scored ${result.score}/${result.maxScore}; the bench measures a full-marks grading`);
    const runs = (result.details as { runs: { endMinute: number | null }[] }).runs;
    minutes = runs.reduce((sum, r) => sum + (r.endMinute ?? 0), 0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const seeds = 6 * DEFAULT_ROLLOUT_GRADING.seedsPerScenario;
  console.log(`rollout-sim: reference policy over ${seeds} hidden seeds (${minutes} simulated minutes): ${median.toFixed(0)} ms median of ${RUNS} runs (${((median / minutes) * 1000).toFixed(0)} µs per simulated minute)`);
}
