/**
 * Policy-mode grading cost: how long grading the rollout-simulator exercise's reference policy takes
 * over every hidden seed of every scenario, through the registered exercise kind exactly as the
 * server and `flagship grade` do (the simulation, the decision rules and the result), as the median of
 * a few runs after one warm-up; then the same for rollout-policy-code, the same policy as a TypeScript
 * function run in the sandbox. Also the replay of an interactive run, which every view of the
 * simulator page does.
 */
import { performance } from "node:perf_hooks";
import { gradeAnswer, loadExerciseFolder } from "../grader/exercises/index";
import { findKind } from "../grader/exercises/kinds";
import { replayRun, type InteractiveDecision } from "../grader/rollout-sim/interactive";

const RUNS = 5;

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

interface PolicyFigures {
  ms: number;
  seeds: number;
  minutes: number;
  details: { looks?: number; work?: number; sandbox?: string };
}

/** Grades an exercise's reference through its kind: one warm-up, then the median of RUNS gradings. */
async function gradeReference(id: string): Promise<PolicyFigures> {
  const { exercise, issues } = await loadExerciseFolder(`exercises/${id}`, id);
  const kind = exercise && (await findKind(exercise.kind));
  if (!exercise || !kind)
    throw new Error(`exercises/${id} does not load: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  const reference = kind.referenceAnswer(exercise);
  await gradeAnswer(exercise, reference);
  const times: number[] = [];
  let figures: Omit<PolicyFigures, "ms"> = { seeds: 0, minutes: 0, details: {} };
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const result = await gradeAnswer(exercise, reference);
    times.push(performance.now() - start);
    if (result.score !== result.maxScore)
      throw new Error(
        `the reference of ${id} scored ${result.score}/${result.maxScore}; the bench measures a full-marks grading`,
      );
    const details = result.details as PolicyFigures["details"] & { runs: { endMinute: number | null }[] };
    figures = {
      seeds: details.runs.length,
      minutes: details.runs.reduce((sum, r) => sum + (r.endMinute ?? 0), 0),
      details,
    };
  }
  return { ms: median(times), ...figures };
}

export async function benchRolloutSim(): Promise<void> {
  const yaml = await gradeReference("rollout-simulator");
  console.log(
    `rollout-sim: YAML reference policy over all ${yaml.seeds} hidden seeds (${yaml.minutes} simulated minutes), through the exercise kind: ${yaml.ms.toFixed(0)} ms median of ${RUNS} runs (${((yaml.ms / yaml.minutes) * 1000).toFixed(0)} µs per simulated minute)`,
  );
  // The same days with the policy as a TypeScript function in the sandbox: one execution per day, one
  // call per look, the host leased from the pool after the warm-up (a cold start is bench/cold-grade.ts's).
  const code = await gradeReference("rollout-policy-code");
  console.log(
    `rollout-sim: TypeScript reference policy over the same ${code.seeds} hidden seeds (${code.minutes} simulated minutes, ${code.details.looks ?? "?"} looks, ${code.details.work ?? "?"} work ticks, ${code.details.sandbox ?? "?"} sandbox): ${code.ms.toFixed(0)} ms median of ${RUNS} runs (${(code.ms / yaml.ms).toFixed(1)}× the YAML policy)`,
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
