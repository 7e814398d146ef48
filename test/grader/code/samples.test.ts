import { describe, expect, it } from "vitest";
import { gradeCode, replayCounterexample } from "../../../grader/code/grade";
import { join } from "node:path";
import { EXERCISE_DIR, failing, loadExercise, readExerciseFile, readSamples } from "./helpers";
import { checkExerciseSamples } from "../../../grader/exercises/samples";
import { gradedOnce } from "../../helpers/graded-once";

const exercise = await loadExercise();
// Each sample is graded once in this file, for the golden check and the assertions below alike.
const { exercise: asLoaded, grade } = await gradedOnce("checkout-fallbacks");
const samples = await readSamples();

describe("golden samples of the checkout exercise", () => {
  it("passes every check `flagship exercises check` makes: reference, golden results, every rule shown failing", async () => {
    expect(await checkExerciseSamples(asLoaded, grade)).toEqual([]);
  });

  it("has a sample for every kind of bug the exercise teaches", () => {
    expect(samples.map((s) => s.name)).toEqual([
      "cart-failure-retries",
      "charges-twice",
      "crashes-on-fault",
      "eligible-full-price",
      "email-after-failed-charge",
      "email-cancels-order",
      "hangs",
      "never-sends-email",
      "pricing-blocks-ineligible",
      "update-cart-ignored",
      "wrong-charged-amount",
    ]);
  });

  it("gives the reference solution full marks", async () => {
    const result = await grade(await readExerciseFile("solution.ts"));
    expect(result.status).toBe("graded");
    expect(failing(result)).toEqual([]);
    expect(result.score).toBe(18);
  });

  for (const sample of samples) {
    it(`${sample.name}: fails exactly [${sample.failing.join(", ")}], each with a replayable counterexample`, async () => {
      const result = await grade(sample.answer);
      expect(result.status).toBe("graded");
      expect(failing(result)).toEqual([...sample.failing].sort());
      const lost = result.tests.filter((t) => t.status === "fail").reduce((s, t) => s + t.maxPoints, 0);
      expect(result.score).toBe(result.maxScore - lost);
      const failed = result.tests.filter((t) => t.status === "fail");
      for (const test of failed) {
        // A rule no execution reached has nothing to replay; it says so instead.
        if (/No execution reached/.test(test.message)) continue;
        expect(test.counterexample, test.id).toMatchObject({
          fixture: expect.any(String),
          faults: expect.any(Array),
          calls: expect.any(Array),
        });
      }
      // Replaying the first counterexample as a single execution shows the same rule failing.
      const first = failed.find((t) => t.counterexample !== undefined);
      const replay = await replayCounterexample(exercise, sample.answer, first?.counterexample);
      expect(replay.failing).toContain(first?.id);
    });
  }

  it("says which call failed and what was expected in a counterexample", async () => {
    const sample = samples.find((s) => s.name === "email-cancels-order");
    const result = await grade(sample?.answer ?? "");
    const emailSoft = result.tests.find((t) => t.id === "email-soft");
    expect(emailSoft?.counterexample).toMatchObject({
      fixture: "first-purchase",
      faults: [{ call: "email.sendDiscountEmail#1", kind: "unavailable" }],
      expected: "ok, charging 9000 cents",
      response: { status: "error" },
    });
    const calls = (emailSoft?.counterexample as { calls: { call: string; outcome: string }[] }).calls;
    expect(calls.map((c) => c.call)).toEqual([
      "users.getUser#1",
      "carts.getCart#1",
      "pricing.getAdjustment#1",
      "carts.updateCart#1",
      "payments.charge#1",
      "email.sendDiscountEmail#1",
    ]);
    expect(calls[5]?.outcome).toBe("failed: unavailable (injected)");
  });

  it("rejects a replay request that is not a counterexample, naming the problem", async () => {
    await expect(replayCounterexample(exercise, "", { fixture: "nope", faults: [] })).rejects.toThrow(
      /unknown fixture "nope"/,
    );
    await expect(
      replayCounterexample(exercise, "", { fixture: "returning", faults: [{ call: "x", kind: "timeout" }] }),
    ).rejects.toThrow(/faults\.0\.call/);
  });
});

describe("the checkout exercise through the exercise registry", () => {
  // The golden-sample check itself runs once, at the top of this file, on the exercise as the registry loads it.
  it("loads as a code exercise and grades another correct solution with full marks", async () => {
    const { loadExercises, gradeAnswer } = await import("../../../grader/exercises/index");
    const { exercises } = await loadExercises(join(EXERCISE_DIR, ".."));
    const loaded = exercises.find((e) => e.id === "checkout-fallbacks");
    expect(loaded?.kind).toBe("code");
    if (!loaded) return;
    const result = await gradeAnswer(loaded, await readExerciseFile("solution-retry-reads.ts"));
    expect(result.score).toBe(18);
  });
});

describe("code that never answers", () => {
  it("earns nothing, not even the rules it cannot break, and says why", async () => {
    const result = await grade("export const nothing = 1;\n");
    expect(result.status).toBe("graded");
    expect(result.score).toBe(0);
    const singleCharge = result.tests.find((t) => t.id === "single-charge");
    expect(singleCharge).toMatchObject({ status: "fail", points: 0 });
    expect(singleCharge?.message).toMatch(/never answered/);
    expect(result.tests.find((t) => t.id === "no-crash")?.message).toMatch(/does not export a checkout function/);
  });

  it("still earns the rules it shows when it answers, even if it refuses every order", async () => {
    const result = await gradeCode(
      await loadExercise(),
      'export async function checkout() { return { status: "error", reason: "closed" }; }\n',
    );
    expect(
      result.tests
        .filter((t) => t.status === "pass")
        .map((t) => t.id)
        .sort(),
    ).toEqual(["no-crash", "single-charge"]);
  });
});
