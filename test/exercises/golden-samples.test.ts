import { describe, expect, it } from "vitest";
import { checkExerciseSamples, gradeAnswer, loadExercises, loadSamples, findKind } from "../../grader/exercises/index";
import { SAMPLES_CHECKED_IN_OWN_FILE } from "../helpers/graded-once";

const STRUCTURED = [
  "compatible-changes",
  "metrics-priority-rides",
  "mock-drift",
  "purchase-dependencies",
  "rollout-plan",
];
const { exercises, errors } = await loadExercises("exercises");

describe("the structured exercises", () => {
  it("all load without a single problem", () => {
    const ours = errors.filter((e) => STRUCTURED.some((id) => e.file.includes(`exercises/${id}/`)));
    expect(ours).toEqual([]);
    expect(STRUCTURED.every((id) => exercises.some((e) => e.id === id))).toBe(true);
  });

  // The sandboxed exercises' samples are graded once, in their own samples test, with the same check.
  for (const exercise of exercises.filter((e) => !SAMPLES_CHECKED_IN_OWN_FILE.includes(e.id))) {
    describe(exercise.id, () => {
      it("gives full marks to its reference answer", async () => {
        const reference = (await findKind(exercise.kind))?.referenceAnswer(exercise);
        const result = await gradeAnswer(exercise, reference);
        expect(result.status).toBe("graded");
        expect(result.tests.length).toBeGreaterThan(0);
        expect(result.score).toBe(exercise.points);
        expect(result.maxScore).toBe(exercise.points);
      });

      it("grades every golden sample exactly as its stored result, each losing only its failing rules' points, and shows every rule failing", async () => {
        const { samples } = await loadSamples(exercise);
        expect(samples.length).toBeGreaterThanOrEqual(2);
        expect(await checkExerciseSamples(exercise)).toEqual([]);
      });
    });
  }
});
