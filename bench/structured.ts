/**
 * Structured-grading throughput: for each exercise, how many gradings per second the rubric engine
 * sustains on a mix of its reference answer and its golden samples (validation included), as the
 * median of several timed runs. Also reports how long loading every exercise takes.
 */
import { performance } from "node:perf_hooks";
import { findKind, gradeAnswer, loadExercises, loadSamples } from "../grader/exercises/index";

const RUNS = 7;
const MIN_RUN_MS = 200;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function benchStructured(exercisesDir = "exercises"): Promise<void> {
  const loadStart = performance.now();
  const { exercises, errors } = await loadExercises(exercisesDir);
  const loadMs = performance.now() - loadStart;
  console.log(
    `structured: loaded ${exercises.length} exercises in ${loadMs.toFixed(1)} ms (${errors.length} skipped with errors)`,
  );

  for (const exercise of exercises.filter((e) => e.kind === "structured")) {
    const { samples } = await loadSamples(exercise);
    const answers = [(await findKind(exercise.kind))?.referenceAnswer(exercise), ...samples.map((s) => s.answer)];
    // Warm up so the figures describe the steady state a server reaches.
    for (let i = 0; i < 200; i++) await gradeAnswer(exercise, answers[i % answers.length]);

    const rates: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let count = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < MIN_RUN_MS) {
        for (const answer of answers) await gradeAnswer(exercise, answer);
        count += answers.length;
        elapsed = performance.now() - start;
      }
      rates.push((count / elapsed) * 1000);
    }
    const rate = median(rates);
    console.log(
      `structured: ${exercise.id.padEnd(24)} ${Math.round(rate).toString().padStart(7)} gradings/s  (${(1000 / rate).toFixed(3)} ms each, median of ${RUNS} runs, ${answers.length} answers)`,
    );
  }
}
