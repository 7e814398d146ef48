import { describe, expect, it } from "vitest";
import { gradeCode } from "../../grader/code/grade";
import type { GradingResult } from "../../grader/result";
import { loadExercise, readExerciseFile, readSamples } from "./helpers";

const verdicts = (r: GradingResult) => Object.fromEntries(r.tests.map((t) => [t.id, t.status]));

describe("the fault-kind reduction never changes a verdict", () => {
  it("agrees with the full search on correct and buggy solutions, with fewer executions", async () => {
    const exercise = await loadExercise();
    const samples = await readSamples();
    const sources = [
      await readExerciseFile("solution.ts"),
      await readExerciseFile("solution-retry-reads.ts"),
      ...samples.filter((s) => s.name !== "hangs").map((s) => s.answer),
    ];
    for (const source of sources) {
      const full = await gradeCode(exercise, source, { reduce: false, maxExecutionsPerFixture: 5000 });
      const reduced = await gradeCode(exercise, source, { reduce: true });
      expect(full.status).toBe("graded");
      expect(verdicts(reduced)).toEqual(verdicts(full));
      expect(reduced.score).toBe(full.score);
      expect(reduced.executions ?? 0).toBeLessThanOrEqual(full.executions ?? 0);
    }
  }, 240_000);
});
