import { describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import type { GradingResult } from "../../../grader/result";
import { loadExercise, readExerciseFile, readSamples } from "./helpers";

const verdicts = (r: GradingResult) => Object.fromEntries(r.tests.map((t) => [t.id, t.status]));

/**
 * The full search of a retrying solution is thousands of executions: on a machine whose cores are
 * busy with other work it can pass the grading's two-minute real-time backstop, which would make it
 * an infrastructure error. The backstop is not what this file tests, so it gets room here.
 */
const ROOM = { totalTimeoutMs: 900_000 };

const sources = [
  { name: "solution.ts", read: () => readExerciseFile("solution.ts") },
  { name: "solution-retry-reads.ts", read: () => readExerciseFile("solution-retry-reads.ts") },
  ...(await readSamples())
    .filter((s) => s.name !== "hangs")
    .map((s) => ({ name: `sample ${s.name}`, read: async () => s.answer })),
];

describe("the fault-kind reduction never changes a verdict", () => {
  for (const { name, read } of sources) {
    it(`agrees with the full search on ${name}, with no more executions`, async () => {
      const exercise = await loadExercise();
      const source = await read();
      const full = await gradeCode(exercise, source, { reduce: false, maxExecutionsPerFixture: 5000, ...ROOM });
      const reduced = await gradeCode(exercise, source, { reduce: true, ...ROOM });
      expect(full.status).toBe("graded");
      expect(reduced.status).toBe("graded");
      expect(verdicts(reduced)).toEqual(verdicts(full));
      expect(reduced.score).toBe(full.score);
      expect(reduced.executions ?? 0).toBeLessThanOrEqual(full.executions ?? 0);
    }, 900_000);
  }
});
