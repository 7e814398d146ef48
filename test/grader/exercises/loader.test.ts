import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { coerceFormAnswer, gradeAnswer, loadExercises } from "../../../grader/exercises/index";

const root = mkdtempSync(join(tmpdir(), "flagship-exercises-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function copyExercise(id: string, as = id): string {
  const dir = join(root, as);
  cpSync(join("exercises", id), dir, { recursive: true });
  return dir;
}
function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, "utf8")));
}

describe("loadExercises", () => {
  it("reports every problem of a broken exercise with file and field path, and still loads the others", async () => {
    copyExercise("mock-drift");
    const broken = copyExercise("rollout-plan");
    const manifest = join(broken, "exercise.yaml");
    edit(manifest, (t) =>
      t
        .replace("points: 23", "points: 24")
        .replace("maxAttempts: 5", "maxAttempts: 0")
        .replace("    points: 2\n    path: tests", "    points: -2\n    path: tests")
        .replace("id: dogfood-before-ramp", "id: dark-first-deploy")
        .replace("values: [legacy-formats]", "values: [legacy-format]")
        .replace("link: /modules/rollout-plan#testing-comes-first", "link: modules/rollout-plan"),
    );
    edit(join(broken, "reference.yaml"), (t) => t.replace("percent: 50", "percent: 150"));

    const { exercises, errors } = await loadExercises(root);
    expect(exercises.map((e) => e.id)).toEqual(["mock-drift"]);
    const lines = errors.map((e) => `${e.file}: ${e.path}: ${e.message}`);
    expect(lines).toEqual([
      `${manifest}: maxAttempts: expected a positive number`,
      `${manifest}: rubric[0].points: expected a positive number`,
      `${manifest}: rubric[0].link: expected a link like /modules/<module-id>#<heading-slug>`,
    ]);

    // Once the schema errors are fixed, the cross-reference errors show, all at once.
    edit(manifest, (t) =>
      t
        .replace("maxAttempts: 0", "maxAttempts: 5")
        .replace("points: -2", "points: 2")
        .replace("link: modules/rollout-plan", "link: /modules/rollout-plan#testing-comes-first"),
    );
    const second = await loadExercises(root);
    expect(second.exercises.map((e) => e.id)).toEqual(["mock-drift"]);
    expect(second.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`)).toEqual([
      `${manifest}: rubric[1].values: "legacy-format" is not an option of this field (options: flag-off-existing, flag-on-existing, flag-on-new, legacy-formats, cleanup, manual-only)`,
      `${manifest}: rubric[5].id: duplicate rule id "dark-first-deploy"`,
      `${manifest}: points: is 24 but the rubric's rules add up to 23`,
      `${join(broken, "reference.yaml")}: steps[7].percent: expected a number of at most 100 (the reference answer must fit the answer shape)`,
    ]);
  });

  it("explains unknown kinds, missing prompts, folder mismatches and YAML syntax errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flagship-kinds-"));
    try {
      cpSync(join("exercises", "compatible-changes"), join(dir, "renamed"), { recursive: true });
      cpSync(join("exercises", "metrics-priority-rides"), join(dir, "metrics-priority-rides"), { recursive: true });
      rmSync(join(dir, "metrics-priority-rides", "prompt.md"));
      cpSync(join("exercises", "mock-drift"), join(dir, "mock-drift"), { recursive: true });
      edit(join(dir, "mock-drift", "exercise.yaml"), (t) => t.replace("kind: structured", "kind: essay"));
      cpSync(join("exercises", "purchase-dependencies"), join(dir, "purchase-dependencies"), { recursive: true });
      edit(join(dir, "purchase-dependencies", "exercise.yaml"), (t) => t.replace("points: 17", "points: [17"));
      const { exercises, errors } = await loadExercises(dir);
      expect(exercises).toEqual([]);
      const lines = errors.map((e) => `${e.path}: ${e.message}`);
      expect(lines).toEqual([
        "prompt: required: write it inline or in prompt.md beside the manifest",
        expect.stringMatching(/^kind: unknown kind "essay" \(known: structured\b/),
        expect.stringMatching(/^\(file\): not valid YAML at line \d+, column \d+: /),
        'id: "compatible-changes" must match the folder name "renamed"',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("grading a loaded exercise", () => {
  it("grades a posted form through the same schema and rubric as a file", async () => {
    const { exercises } = await loadExercises("exercises");
    const exercise = exercises.find((e) => e.id === "purchase-dependencies");
    if (!exercise?.answerShape) throw new Error("purchase-dependencies should load with an answer shape");
    const call = (dependency: string, onFailure: string) => ({ dependency, onFailure });
    const body = {
      getUser: call("hard", "fail"),
      getCart: call("hard", "fail"),
      getPricing: { dependency: "soft", onFailureNotEligible: "default", onFailureEligible: "retry" },
      updateCart: call("soft", "retry"),
      chargePayment: call("hard", "fail"),
      sendEmail: call("hard", "fail"),
      businessMetrics: { "0": "checkout-conversion", "1": "retry-completion" },
    };
    const result = await gradeAnswer(exercise, coerceFormAnswer(exercise.answerShape, body));
    expect(result.status).toBe("graded");
    expect(result.score).toBe(15);
    expect(result.tests.filter((t) => t.status === "fail").map((t) => t.id)).toEqual(["email-soft-ignored"]);

    const invalid = await gradeAnswer(
      exercise,
      coerceFormAnswer(exercise.answerShape, { ...body, getCart: { dependency: "maybe" } }),
    );
    expect(invalid.status).toBe("error");
    expect(invalid.error).toContain("getCart.dependency: expected one of: hard, soft; getCart.onFailure: required");
  });
});
