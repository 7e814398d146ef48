/**
 * The rollout-simulator exercise kind on real folders: the course's exercise loads and grades a policy
 * text through the registry, a broken folder is reported file by file and field by field, and the
 * reference no longer rolls back healthy days that once tripped its per-city check.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findKind, gradeAnswer, loadExerciseFolder } from "../../../grader/exercises/index";
import { parsePolicyText } from "../../../grader/rollout-sim/policy-schema";
import { REFERENCE_POLICY_YAML } from "../../../grader/rollout-sim/reference-policies";
import { runPolicy } from "../../../grader/rollout-sim/runner";
import { scenarioById } from "../../../grader/rollout-sim/scenarios";

const scratch = mkdtempSync(join(tmpdir(), "flagship-rollout-kind-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the course's folder, with some files replaced. */
function copyWith(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name, "rollout-simulator");
  cpSync("exercises/rollout-simulator", dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe("the rollout-simulator kind", () => {
  it("is registered, loads the course's exercise with its starter policy as a YAML answer, and grades policy text", async () => {
    const { exercise, issues } = await loadExerciseFolder("exercises/rollout-simulator", "rollout-simulator");
    expect(issues).toEqual([]);
    if (!exercise) throw new Error("did not load");
    expect(exercise.kind).toBe("rollout-simulator");
    expect(exercise.answerShape).toBeUndefined();
    expect(exercise.answerLanguage).toBe("yaml");
    expect(exercise.starterCode).toMatch(/^# A first try/);

    const reference = await gradeAnswer(exercise, (await findKind("rollout-simulator"))?.referenceAnswer(exercise));
    expect(reference.score).toBe(15);
    // The hidden seeds are the exercise's own (grading.yaml), shown in the details for a TA to replay.
    expect((reference.details as { seed: number }).seed).toBe(4242);

    const starter = await gradeAnswer(exercise, exercise.starterCode);
    expect(starter.status).toBe("graded");
    expect(starter.score).toBeLessThan(15);
  });

  it("answers a policy that does not parse with the field paths, not an attempt", async () => {
    const { exercise } = await loadExerciseFolder("exercises/rollout-simulator", "rollout-simulator");
    if (!exercise) throw new Error("did not load");
    const result = await gradeAnswer(exercise, "steps: [1, 50]\nbakeMinutes: 30\nmetrics: []\n");
    expect(result.status).toBe("compile_error");
    expect(result.error).toContain("steps[1]: the last step must be 100");
    const notText = await gradeAnswer(exercise, { steps: [100] });
    expect(notText.status).toBe("error");
    expect(notText.error).toMatch(/rollout policy written in YAML/);
  });

  it("reports a broken folder by file and field: grading data, a starter that is no policy, points that do not add up", async () => {
    const dir = copyWith("broken", {
      "grading.yaml": "seed: -1\nseedsPerScenario: 4\nmaxCatchPercent: 25\nmaxMinutesToFull: 360\nrules: []\n",
      "starter.yaml": "steps: [10, 50]\nbakeMinutes: 20\nmetrics: []\n",
    });
    const { exercise, issues } = await loadExerciseFolder(dir, "rollout-simulator");
    expect(exercise).toBeUndefined();
    const lines = issues.map((i) => `${i.file.slice(dir.length + 1)}: ${i.path}: ${i.message}`);
    expect(lines.some((l) => l.startsWith("grading.yaml: seed: "))).toBe(true);
    expect(lines.some((l) => l.startsWith('grading.yaml: rules: rule "catches-error-regression" is missing'))).toBe(
      true,
    );
    expect(lines).toContain("starter.yaml: steps[1]: the last step must be 100");

    const points = copyWith("points", {
      "exercise.yaml":
        "id: rollout-simulator\ntitle: T\nkind: rollout-simulator\nmodule: observing-rollouts\npoints: 14\nmaxAttempts: 3\nscoring: best\ngrading: grading.yaml\nstarter: starter.yaml\nreference: reference.yaml\n",
    });
    const loaded = await loadExerciseFolder(points, "rollout-simulator");
    expect(loaded.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "points: is 14 but the rules of grading.yaml add up to 15",
    ]);
  });

  it("keeps the reference on healthy Harbor days that its per-city check once rolled back", () => {
    // Seeds found by running the reference over 1,000 noise days: with control's Harbor rate taken as a
    // known baseline and no split of alpha between the three cities, each rolled back at 25% or 50%.
    const parsed = parsePolicyText(REFERENCE_POLICY_YAML, "yaml");
    if (!parsed.ok) throw new Error("reference does not parse");
    for (const seed of [1176984, 2887488, 3346790, 3481413, 4471288, 4898914, 6237225]) {
      const outcome = runPolicy(parsed.policy, scenarioById("noise"), seed);
      expect(outcome.end, `seed ${seed}: ${outcome.trigger?.evidence ?? ""}`).toBe("completed");
    }
  });
});
