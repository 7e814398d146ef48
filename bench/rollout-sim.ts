/**
 * Policy-mode grading cost: how long grading the rollout-simulator exercise's reference policy takes
 * over every hidden seed of every scenario, through the registered exercise kind exactly as the
 * server and `flagship grade` do (the simulation, the decision rules and the result), as the median of
 * a few runs after one warm-up. Also the replay of an interactive run, which every view of the
 * simulator page does.
 */
import { performance } from "node:perf_hooks";
import { gradeAnswer, loadExerciseFolder } from "../grader/exercises/index";
import { findKind } from "../grader/exercises/kinds";
import { replayRun, type InteractiveDecision } from "../grader/rollout-sim/interactive";

const RUNS = 5;
const EXERCISE = "rollout-simulator";

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function benchRolloutSim(): Promise<void> {
  const { exercise, issues } = await loadExerciseFolder(`exercises/${EXERCISE}`, EXERCISE);
  const kind = findKind("rollout-simulator");
  if (!exercise || !kind)
    throw new Error(`exercises/${EXERCISE} does not load: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  const reference = kind.referenceAnswer(exercise);
  await gradeAnswer(exercise, reference);
  const times: number[] = [];
  let minutes = 0;
  let seeds = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const result = await gradeAnswer(exercise, reference);
    times.push(performance.now() - start);
    if (result.score !== result.maxScore)
      throw new Error(
        `the reference policy scored ${result.score}/${result.maxScore}; the bench measures a full-marks grading`,
      );
    const runs = (result.details as { runs: { endMinute: number | null }[] }).runs;
    seeds = runs.length;
    minutes = runs.reduce((sum, r) => sum + (r.endMinute ?? 0), 0);
  }
  const m = median(times);
  console.log(
    `rollout-sim: reference policy over all ${seeds} hidden seeds (${minutes} simulated minutes), through the exercise kind: ${m.toFixed(0)} ms median of ${RUNS} runs (${((m / minutes) * 1000).toFixed(0)} µs per simulated minute)`,
  );

  // A page view replays the student's day from its seed and decisions: here two hours, twelve decisions.
  const decisions: InteractiveDecision[] = Array.from({ length: 12 }, (_, i) => ({
    action: i % 3 === 2 ? "advance" : "hold",
    metric: "errorRate",
    group: "all",
  }));
  const day = replayRun(12345, decisions);
  const replays: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    replayRun(12345, decisions);
    replays.push(performance.now() - start);
  }
  console.log(
    `rollout-sim: replaying an interactive day of ${decisions.length} decisions (${day.records.length} simulated minutes): ${median(replays).toFixed(1)} ms median of ${RUNS}`,
  );
}
