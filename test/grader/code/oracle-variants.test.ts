import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import { oracleSchema } from "../../../grader/code/oracle-schema";
import { validate } from "../../../grader/validation";
import { failing, loadExercise, loadOracleVariant, readExerciseFile, readSamples } from "./helpers";

const FIXTURES = join(import.meta.dirname, "fixtures");

describe("the oracle is data an instructor can change", () => {
  it("grades against a variant where a failed cart update charges full price", async () => {
    const variant = await loadOracleVariant(join(FIXTURES, "oracle-update-cart-full-price.yaml"));
    const variantSolution = await readFile(join(FIXTURES, "solution-update-cart-full-price.ts"), "utf8");
    const good = await gradeCode(variant, variantSolution);
    expect(failing(good)).toEqual([]);
    // The standard reference asks to retry, which the variant's business no longer wants.
    const standard = await gradeCode(variant, await readExerciseFile("solution.ts"));
    expect(failing(standard)).toEqual(["update-cart-retry"]);
    const message = standard.tests.find((t) => t.id === "update-cart-retry")?.message;
    expect(message).toMatch(/expected ok, charging 10000 cents, got retry/);
    // And the sample that ignores the failure is right under the variant.
    const ignored = (await readSamples()).find((s) => s.name === "update-cart-ignored");
    expect(failing(await gradeCode(variant, ignored?.answer ?? ""))).toEqual([]);
  });

  it("uses points per rule from the data", async () => {
    const exercise = await loadExercise();
    const heavier = {
      ...exercise,
      oracle: {
        ...exercise.oracle,
        rules: exercise.oracle.rules.map((r) => (r.id === "email-soft" ? { ...r, points: 10 } : r)),
      },
    };
    const sample = (await readSamples()).find((s) => s.name === "email-cancels-order");
    const result = await gradeCode(heavier, sample?.answer ?? "");
    expect(result.maxScore).toBe(26);
    expect(result.score).toBe(26 - 10 - 2);
  });

  it("reports every problem of a broken oracle file with its field path", () => {
    const parsed = validate(oracleSchema, {
      fixtures: [],
      failures: [{ rule: "ghost", call: "users.getUser", outcome: "explode" }],
      rules: [{ id: "hard-user", name: "x", points: -1, passMessage: "y" }],
    });
    expect(parsed.ok).toBe(false);
    const paths = parsed.ok ? [] : parsed.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["fixtures", "failures[0].outcome", "rules[0].points"]));
  });
});
