/**
 * The dark-launch grader on the real sandbox: the reference earns full marks, every golden sample
 * fails exactly the rules it declares and gets its stored result again (generation is seeded, so a
 * grade is reproducible), and failures name the simplest input that shows them.
 */
import { describe, expect, it } from "vitest";
import { gradeDarkLaunch } from "../../../grader/dark-launch/grade";
import { failing, loadExercise, readExerciseFile, readSamples, test } from "./helpers";
import { checkExerciseSamples } from "../../../grader/exercises/samples";
import { gradedOnce } from "../../helpers/graded-once";

const exercise = await loadExercise();
// Each sample is graded once in this file, for the golden check and the assertions below alike.
const { exercise: asLoaded, grade } = await gradedOnce("dark-launch-flag");
const samples = await readSamples();

describe("golden samples of the dark-launch exercise", () => {
  it("passes every check `flagship exercises check` makes: reference, golden results, every rule shown failing", async () => {
    expect(await checkExerciseSamples(asLoaded, grade)).toEqual([]);
  });

  it("gives the reference full marks, under bubblewrap", async () => {
    const result = await grade(await readExerciseFile("solution.ts"));
    expect(result.status).toBe("graded");
    expect(failing(result)).toEqual([]);
    expect(result.score).toBe(20);
    expect(result.details).toMatchObject({
      sandbox: "bwrap",
      ramp: [
        { percent: 10, riders: 100, offered: 10 },
        { percent: 50, riders: 100, offered: 50 },
      ],
    });
    // Every generated input, the 100-rider population at 10% twice and 50%, and nothing to shrink.
    expect(result.executions).toBe(exercise.rules.cases + 300);
  });

  it("the starter (legacy) is a perfect no-op that never turns the feature on", async () => {
    const result = await grade(await readExerciseFile("starter.ts"));
    expect(failing(result)).toEqual(["employees-first", "ramp-buckets", "ramp-share"]);
  });

  for (const sample of samples) {
    it(`${sample.name}: fails exactly [${sample.failing.join(", ")}] and matches its golden result`, async () => {
      const result = await grade(sample.answer);
      expect(result.status).toBe("graded");
      expect(failing(result)).toEqual([...sample.failing].sort());
      const lost = result.tests.filter((t) => t.status === "fail").reduce((s, t) => s + t.maxPoints, 0);
      expect(result.score).toBe(result.maxScore - lost);
      for (const t of result.tests.filter((x) => x.status === "fail")) {
        expect(t.counterexample, t.id).toBeDefined();
        expect(t.link, t.id).toMatch(/^\/modules\/dark-launches#/);
      }
      expect(JSON.parse(JSON.stringify(result))).toEqual(sample.golden);
    });
  }

  it("shows the one legacy answer a flag-off change broke, with the simplest trip that shows it", async () => {
    const sample = samples.find((s) => s.name === "long-trips-quoted-when-off");
    const result = await grade(sample?.answer ?? "");
    const noOp = test(result, "no-op-response");
    // 101 km cannot shrink (100 km is quoted by legacy too); the rest shrinks to the simplest values.
    expect(noOp.counterexample).toMatchObject({
      rider: { id: "r1", employee: false, priorityEligible: false },
      trip: { distanceKm: 101, minutes: 1 },
      flag: { mode: "off" },
      legacy: { status: "invalid", reason: "trips over 100 km are not offered" },
      yours: { status: "ok", riderId: "r1" },
    });
    expect(noOp.message).toContain("101 km");
    expect(test(result, "no-op-calls").counterexample).toMatchObject({
      legacyCalls: [],
      yourCalls: [{ call: "pricing.standardQuote" }],
    });
  });

  it("shrinks an off-by-one ramp to a rider whose bucket is exactly the percentage", async () => {
    const sample = samples.find((s) => s.name === "off-by-one-bucket");
    const result = await grade(sample?.answer ?? "");
    const ce = test(result, "ramp-buckets").counterexample as {
      bucket: number;
      flag: { mode: string; percent: number };
      riderInFlag: boolean;
    };
    expect(ce.flag.mode).toBe("ramp");
    expect(ce.bucket).toBe(ce.flag.percent);
    expect(ce.riderInFlag).toBe(false);
  });

  it("catches a random ramp as not sticky, naming the rider asked twice", async () => {
    const sample = samples.find((s) => s.name === "random-ramp");
    const result = await grade(sample?.answer ?? "");
    const sticky = test(result, "ramp-sticky");
    expect(sticky.message).toMatch(/asked twice at 10%/);
    expect(sticky.counterexample).toMatchObject({ runs: [{ percent: 10 }, { percent: 10 }, { percent: 50 }] });
  });
});

describe("a dark-launch grading that runs past its real-time backstop", () => {
  it("is an infrastructure error to retry, never a partial grade", async () => {
    // Hundreds of inputs take longer than a 100 ms backstop in real time on any machine (the quotes'
    // own waits cost none: they are simulated).
    const slow = (await readExerciseFile("solution.ts")).replace(
      "Promise<QuoteResponse> {",
      "Promise<QuoteResponse> {\n  await new Promise((resolve) => setTimeout(resolve, 150));",
    );
    const result = await gradeDarkLaunch(exercise, slow, { totalTimeoutMs: 100 });
    expect(result.status).toBe("infrastructure_error");
    expect(result.error).toBe(
      "The grading machinery failed, not your code: the grading ran past its real-time backstop of 100 ms. It will be graded again.",
    );
  });
});
