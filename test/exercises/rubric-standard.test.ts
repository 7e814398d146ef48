/**
 * `flagship exercises check` enforces the rubric standard (exercises/README.md) where a machine can:
 * the sample categories of a form-answered exercise, and a hint and a lecture link on every rule.
 * Shown on a copy of mock-drift with parts of the standard taken away.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkExerciseTree } from "../../grader/exercises/check-all";
import { loadExercises } from "../../grader/exercises/index";
import { checkRuleWords, findRules } from "../../grader/exercises/rule-words";
import { findKind } from "../../grader/exercises/kinds";
import { checkMissingSteps } from "../../grader/exercises/missing-steps";

const root = mkdtempSync(join(tmpdir(), "flagship-standard-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the rubric standard in flagship exercises check", () => {
  it("finds a hint and a lecture link on every rule of every committed exercise, code kinds included", async () => {
    // The sample categories of the committed exercises are checked by golden-samples.test.ts.
    const { exercises } = await loadExercises("exercises");
    expect(exercises).toHaveLength(14);
    expect(exercises.flatMap(findRules).length).toBeGreaterThanOrEqual(120);
    expect(exercises.flatMap(checkRuleWords)).toEqual([]);
  });

  it("names each missing sample category, a correct sample that copies the reference, and a rule with no hint", async () => {
    const dir = join(root, "mock-drift");
    cpSync("exercises/mock-drift", dir, { recursive: true });
    const samples = join(dir, "samples");
    for (const name of ["correct-short-notes", "gaming-hedging", "one-mistake-no-drift"]) {
      unlinkSync(join(samples, `${name}.yaml`));
      unlinkSync(join(samples, `${name}.result.json`));
    }
    // A "correct" sample that is the reference again shows no other way to be right.
    const reference = readFileSync(join(dir, "reference.yaml"), "utf8").replace(/^/gm, "  ");
    writeFileSync(
      join(samples, "correct-flaky-focus.yaml"),
      `category: correct\ndescription: The reference again.\nexpect: { failing: [] }\nanswer:\n${reference}`,
    );
    const manifest = join(dir, "exercise.yaml");
    writeFileSync(
      manifest,
      readFileSync(manifest, "utf8").replace(
        "    hint: What, outside your code, changes from one request to the next on purpose?\n",
        "",
      ),
    );

    const { errors } = await checkExerciseTree(root);
    const lines = errors.map((e) => `${e.file.replace(root, "<root>")}: ${e.path}: ${e.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        '<root>/mock-drift/exercise.yaml: rubric[8]: rule "flaky-partial-ramp" has no hint: a failing rule must nudge the student without giving the answer',
        "<root>/mock-drift/samples: (folder): has 2 correct sample(s); the standard needs at least 3, phrased differently from the reference",
        "<root>/mock-drift/samples/correct-flaky-focus.yaml: answer: is the same as the reference or another correct sample; a correct sample shows another way to be right",
        '<root>/mock-drift/samples: (folder): no gaming sample with tactic "hedging"; add one that tries it and show which rule stops it',
        '<root>/mock-drift/samples: (folder): no one-mistake sample for rule "no-drift": add an answer with exactly that one mistake, which must lose exactly that rule',
      ]),
    );
  });

  it("rejects samples whose category and expectations disagree", async () => {
    const dir = join(root, "mock-drift-2");
    cpSync("exercises/mock-drift", dir, { recursive: true });
    const manifest = join(dir, "exercise.yaml");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace("id: mock-drift", "id: mock-drift-2"));
    const samples = join(dir, "samples");
    writeFileSync(
      join(samples, "bad-one.yaml"),
      "category: one-mistake\ndescription: Two mistakes.\nexpect: { failing: [no-drift, own-code] }\nanswer: {}\n",
    );
    writeFileSync(
      join(samples, "bad-gaming.yaml"),
      "category: gaming\ndescription: No tactic.\nexpect: { failing: [no-drift] }\nanswer: {}\n",
    );
    writeFileSync(
      join(samples, "bad-correct.yaml"),
      "category: correct\ndescription: Claims a failure.\nexpect: { failing: [no-drift] }\nanswer: {}\n",
    );
    const { errors } = await checkExerciseTree(root);
    const mine = errors
      .filter((e) => e.file.includes("mock-drift-2/samples/bad-"))
      .map((e) => `${e.file.replace(samples, "")}: ${e.path}: ${e.message}`);
    expect(mine).toEqual([
      "/bad-correct.yaml: expect.failing: a correct sample fails nothing: leave the list empty",
      "/bad-gaming.yaml: tactic: a gaming sample names its tactic (stuffing, hedging, contradiction)",
      "/bad-one.yaml: expect.failing: a one-mistake sample fails exactly one rule",
    ]);
  });

  it("charges a plan with one kind of step left out once: the checker names a missing step that costs two rules", async () => {
    const { exercises } = await loadExercises("exercises");
    for (const exercise of exercises.filter((e) => e.answerShape)) {
      const kind = await findKind(exercise.kind);
      expect(await checkMissingSteps(exercise, kind?.referenceAnswer(exercise)), exercise.id).toEqual([]);
    }
    // Without its per-step `missing`, "employees before the ramp" charges a plan with no ramp a second time.
    const dir = mkdtempSync(join(tmpdir(), "flagship-missing-"));
    try {
      cpSync("exercises/rollout-plan", join(dir, "rollout-plan"), { recursive: true });
      const manifest = join(dir, "rollout-plan", "exercise.yaml");
      const text = readFileSync(manifest, "utf8");
      expect(text).toContain("    missing: [fail, judge-elsewhere]\n");
      writeFileSync(manifest, text.replace("    missing: [fail, judge-elsewhere]\n", ""));
      const [plan] = (await loadExercises(dir)).exercises;
      expect(plan?.id).toBe("rollout-plan");
      if (!plan) return;
      const issues = await checkMissingSteps(plan, (await findKind(plan.kind))?.referenceAnswer(plan));
      expect(issues.map((i) => i.message)).toEqual([
        'the reference without its "Ramp the flag to a percentage of riders" step(s) fails 2 rules (dogfood-before-ramp, ramp-incremental); one missing step costs one rule: let the others judge only the steps present (missing: judge-elsewhere)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
