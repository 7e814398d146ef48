/**
 * The functional-tests grader on the real sandbox: the reference suite catches every mutant, the
 * golden samples get exactly their stored results, a happy-path suite is told which behaviours it
 * missed (in words, with the lecture section), and the student's own results are in the details.
 */
import { describe, expect, it } from "vitest";
import { gradeFunctionalTests } from "../../../grader/functional-tests/grade";
import { MUTANT_IDS } from "../../../grader/functional-tests/mutants";
import { detailsOf, failing, loadExercise, oneTest, readExerciseFile, readSamples } from "./helpers";
import { checkExerciseSamples } from "../../../grader/exercises/samples";
import { gradedOnce } from "../../helpers/graded-once";

const exercise = await loadExercise();
// Each sample is graded once in this file, for the golden check and the assertions below alike.
const { exercise: asLoaded, grade } = await gradedOnce("functional-tests");
const samples = await readSamples();

describe("golden samples of the functional-tests exercise", () => {
  it("passes every check `flagship exercises check` makes: reference, golden results, every rule shown failing", async () => {
    expect(await checkExerciseSamples(asLoaded, grade)).toEqual([]);
  });

  it("gives the reference suite full marks: it passes against the service and catches every mutant", async () => {
    const result = await grade(await readExerciseFile("solution.ts"));
    expect(result.status).toBe("graded");
    expect(result.score).toBe(20);
    const details = detailsOf(result);
    expect(details.sandbox).toBe("bwrap");
    expect(details.mutantsCaught).toBe(MUTANT_IDS.length);
    expect(details.tests).toHaveLength(8);
    expect(details.tests.every((t) => t.status === "pass" && t.assertions > 0)).toBe(true);
    // One listing, then every test against the reference and each of the 8 mutants.
    expect(result.executions).toBe(1 + 8 * 9);
  });

  for (const sample of samples) {
    it(`${sample.name}: fails exactly [${sample.failing.join(", ")}] and matches its golden result`, async () => {
      const result = await grade(sample.answer);
      expect(result.status).toBe("graded");
      expect(failing(result)).toEqual([...sample.failing].sort());
      const lost = result.tests.filter((t) => t.status === "fail").reduce((s, t) => s + t.maxPoints, 0);
      expect(result.score).toBe(result.maxScore - lost);
      expect(JSON.parse(JSON.stringify(result))).toEqual(sample.golden);
    });
  }

  it("tells a happy-path suite which behaviours it missed, in words, with the lecture section", async () => {
    const result = await grade(await readExerciseFile("starter.ts"));
    expect(result.score).toBe(6);
    const flagOff = result.tests.find((t) => t.id === "discount-with-flag-off");
    expect(flagOff).toMatchObject({ status: "fail", link: "/modules/testing-your-service#test-flag-variations" });
    expect(flagOff?.message).toContain("the discount is applied even though the flag is off");
    const email = result.tests.find((t) => t.id === "email-cancels-order");
    expect(email).toMatchObject({ status: "fail", link: "/modules/partial-failure#the-discount-email-is-ignorable" });
    expect(email?.hint).toMatch(/sendDiscountEmail fail/);
    const caught = result.tests.find((t) => t.id === "flag-on-no-discount");
    expect(caught?.message).toMatch(
      /^Caught by "a first purchase gets the discount when the flag is on": against a service where the flag is on but first purchases still pay full price, expect\(.*"chargedCents":10000.*\)\.toMatchObject\(.*9000.*\)\.$/,
    );
    expect(
      detailsOf(result)
        .mutants.filter((m) => !m.caught)
        .map((m) => m.id),
    ).toHaveLength(7);
  });

  it("reports a test failing against the reference with its failing assertion, in the result and the details", async () => {
    const sample = samples.find((s) => s.name === "wrong-expectation");
    const result = await grade(sample?.answer ?? "");
    const ref = result.tests.find((t) => t.id === "reference-passes");
    expect(ref?.message).toContain(
      '"flag on > a first purchase pays full price when pricing is down": expect({"status":"retry","reason":"pricing unavailable"}).toEqual(',
    );
    expect(ref?.counterexample).toMatchObject({
      test: "flag on > a first purchase pays full price when pricing is down",
      assertions: [{ pass: false }],
    });
    const row = detailsOf(result).tests.find((t) => t.name.endsWith("pays full price when pricing is down"));
    expect(row).toMatchObject({ status: "fail", failure: expect.stringContaining("toEqual"), caught: [] });
  });
});

describe("a functional-tests grading that runs past its real-time backstop", () => {
  it("is an infrastructure error to retry, never a partial grade", async () => {
    // The test spins (its clock does not move while it computes) until its work budget stops it; the
    // grading's real-time backstop of 100 ms has passed by then. That backstop is the machinery's
    // failure: verdicts are bounded by work and simulated time, never by how fast the machine is.
    const slow = oneTest("  const end = Date.now() + 150;\n  while (Date.now() < end) {}\n  expect(1).toBe(1);");
    const result = await gradeFunctionalTests(exercise, slow, { totalTimeoutMs: 100, maxWorkTicks: 50 });
    expect(result.status).toBe("infrastructure_error");
    expect(result.error).toBe(
      "The grading machinery failed, not your code: the grading ran past its real-time backstop of 100 ms. It will be graded again.",
    );
    expect(result.tests).toEqual([]);
  });
});
