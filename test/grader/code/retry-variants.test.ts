/**
 * Code that retries is what the lecture asks students to write, and the grader must grade it: soundly
 * (the fault model and the reduction give the exhaustive search's verdict) and within a bounded search.
 * The exhaustive search fails every attempt with every kind on its own; it is run here on oracles with
 * fewer fault kinds, small enough to search fully (README.md, "The fault model").
 */
import { describe, expect, it } from "vitest";
import { gradeCode, type CodeExercise } from "../../../grader/code/grade";
import type { GradingResult } from "../../../grader/result";
import { loadExercise, loadOracleVariant } from "./helpers";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const FIXTURES = fileURLToPath(new URL("./fixtures/retry/", import.meta.url));
const variant = (name: string) => readFile(`${FIXTURES}${name}.ts`, "utf8");
const oracle = (name: string) => loadOracleVariant(`${FIXTURES}${name}.yaml`);

/** Everything a student is graded on: the status, the score, and each rule's status and points. */
const verdict = (r: GradingResult) => ({
  status: r.status,
  score: r.score,
  rules: r.tests.map((t) => `${t.id}:${t.status}:${t.points}`),
});
const failing = (r: GradingResult) => r.tests.filter((t) => t.status === "fail").map((t) => t.id);

/** Room for the exhaustive search, which is allowed to be slow: that is why it is not the grader. */
const EXHAUSTIVE = {
  faultModel: "every-attempt",
  maxExecutionsPerFixture: 20_000,
  maxWorkTicksPerGrading: 10_000_000,
} as const;

async function compare(
  exercise: CodeExercise,
  source: string,
): Promise<{ reduced: GradingResult; exhaustive: GradingResult }> {
  const reduced = await gradeCode(exercise, source);
  const exhaustive = await gradeCode(exercise, source, EXHAUSTIVE);
  expect(exhaustive.status).toBe("graded");
  return { reduced, exhaustive };
}

describe("retrying code gets the exhaustive search's verdict", () => {
  it.each([
    ["backoff-retryable", "oracle-two-kinds"],
    ["charge-idempotent", "oracle-two-kinds"],
    ["any-error", "oracle-one-kind"],
    ["time-budget", "oracle-one-kind"],
    ["budget-per-read", "oracle-one-kind"],
  ])(
    "%s, on the checkout oracle with the fault kinds of %s",
    async (name, oracleFile) => {
      const { reduced, exhaustive } = await compare(await oracle(oracleFile), await variant(name));
      expect(verdict(reduced)).toEqual(verdict(exhaustive));
      expect(reduced.executions ?? 0).toBeLessThanOrEqual(exhaustive.executions ?? 0);
    },
    180_000,
  );
});

describe("retrying code on the real checkout exercise", () => {
  it.each(["backoff-retryable", "any-error", "time-budget", "charge-idempotent"])(
    "grades %s with full marks",
    async (name) => {
      const result = await gradeCode(await loadExercise(), await variant(name));
      expect(result.error).toBeUndefined();
      expect(verdict(result)).toMatchObject({ status: "graded", score: result.maxScore });
    },
    240_000,
  );

  it("catches a budget that only a combination of slow recoveries overruns, in simulated time", async () => {
    const result = await gradeCode(await loadExercise(), await variant("budget-per-read"));
    expect(result.status).toBe("graded");
    expect(failing(result)).toContain("no-crash");
    const noCrash = result.tests.find((t) => t.id === "no-crash");
    expect(noCrash?.message).toMatch(/waited 1\.\d+ s of simulated time; it must answer within 1 s/);
    // Three reads each slow to recover (or, for pricing, down for good): one fault per read.
    expect(noCrash?.message).toMatch(/users\.getUser#1=\w+×3, carts\.getCart#1=\w+×3, pricing\.getAdjustment#1=\w+/);
    // The fault-space table says which calls healed on a retry, not just that their last attempt worked.
    expect(JSON.stringify(result.details)).toMatch(/"\w+×3, then ok"/);
  }, 240_000);

  it("grades code that retries forever instead of giving up on it, and says why it fails", async () => {
    const result = await gradeCode(await loadExercise(), await variant("forever"));
    expect(result.status).toBe("graded");
    expect(failing(result)).toEqual(expect.arrayContaining(["hard-user", "hard-cart", "no-crash"]));
    expect(result.tests.find((t) => t.id === "no-crash")?.message).toMatch(
      /of simulated time; it must answer within 1 s/,
    );
  }, 240_000);

  it("names the call and its attempts when a search would still be too large", async () => {
    const result = await gradeCode(await loadExercise(), await variant("any-error"), { maxExecutionsPerFixture: 50 });
    expect(result.status).toBe("error");
    expect(result.error).toMatch(
      /more than 50 executions would be needed; the code tried [a-z]+\.[A-Za-z]+ up to 3 times in one execution/,
    );
  }, 240_000);
});
