/**
 * Handlers that hang, spin, die or try to get out are contained by the same sandbox as the checkout
 * exercise; a handler that never answers stops the grading early with a graded zero instead of
 * costing a timeout per generated input. Also: the sandbox's bucketOf is the grader's.
 */
import { describe, expect, it } from "vitest";
import { bucketOf } from "../../../grader/dark-launch/contract";
import { gradeDarkLaunch } from "../../../grader/dark-launch/grade";
import { flagService } from "../../../grader/dark-launch/flag-client";
import { pricingService } from "../../../grader/dark-launch/pricing";
import { ridesSession } from "../../../grader/dark-launch/session";
import { failing, loadExercise, readExerciseFile } from "./helpers";

const exercise = await loadExercise();
const reference = await readExerciseFile("solution.ts");

describe("the flagship:rides module", () => {
  it("buckets riders exactly as the grader does", () => {
    const session = ridesSession(
      { req: { seed: 1 }, call: () => Promise.resolve(null), ServiceError: Error },
      { flags: flagService(), pricing: pricingService() },
    );
    const inSandbox = session.provided["bucketOf"] as (id: string) => number;
    for (let n = 0; n < 2000; n++) expect(inSandbox(`r-${n}`)).toBe(bucketOf(`r-${n}`));
  });
});

describe("hostile handlers are contained", () => {
  it("a handler that spins forever for employees stops grading after a few timeouts, graded zero", async () => {
    const spin = reference.replace(
      "const { rider, trip } = req;",
      "const { rider, trip } = req;\n  if (rider.employee) for (;;) {}",
    );
    expect(spin).not.toBe(reference);
    const result = await gradeDarkLaunch(exercise, spin, { executionTimeoutMs: 200 });
    expect(result.status).toBe("graded");
    expect(result.score).toBe(0);
    expect(result.tests[0]?.message).toMatch(
      /did not answer within 200 ms of simulated time \(or kept computing\) on more than 5 inputs/,
    );
    expect(result.tests[0]?.counterexample).toMatchObject({
      rider: { employee: true },
      yours: expect.stringMatching(/^it kept computing without answering/),
    });
    expect(result.executions).toBeLessThan(exercise.rules.cases);
  });

  it("a handler cannot read files or the grader's environment, and the reference grades fully right after", async () => {
    process.env["FLAGSHIP_TEST_SECRET"] = "ENV-SECRET-5d21";
    const probe = `export async function quoteRide() {
  const g = globalThis as any;
  let leak = "";
  try { leak = g.process.getBuiltinModule("fs").readFileSync("/etc/passwd", "utf8"); } catch (e) { leak = "blocked: " + String(e); }
  return { status: "invalid", reason: leak + " env " + JSON.stringify(g.process?.env) };
}`;
    const result = await gradeDarkLaunch(exercise, probe);
    const text = JSON.stringify(result);
    expect(text).not.toContain("root:x:0:0");
    expect(text).not.toContain("ENV-SECRET-5d21");
    const noOp = result.tests.find((t) => t.id === "no-op-response");
    // The process object is out of reach altogether (the permission model and bwrap stand behind it).
    expect((noOp?.counterexample as { yours: { reason: string } }).yours.reason).toMatch(
      /^blocked: TypeError: cannot read property 'getBuiltinModule' of undefined env undefined$/,
    );
    expect((await gradeDarkLaunch(exercise, reference)).score).toBe(20);
  });

  it("a handler that runs out of memory on some inputs fails those inputs with what happened, and the grading goes on", async () => {
    const bomb = "{ const keep: number[][] = []; for (;;) keep.push(new Array(1e6).fill(7)); }";
    // Only where an eligible employee is let in by the flag, and only for a tenth of them.
    const dies = reference
      .replace("import { type Deps,", "import { bucketOf, type Deps,")
      .replace(
        "    quote.priority = await deps.pricing.priorityQuote(trip);",
        `    if (rider.employee && bucketOf(rider.id) < 10) ${bomb}\n    quote.priority = await deps.pricing.priorityQuote(trip);`,
      );
    expect(dies).toContain("bucketOf(rider.id) < 10");
    // A bomb takes a second or two to reach the engine's memory limit, more on a loaded machine: give
    // executions time to run out of memory rather than time.
    const result = await gradeDarkLaunch(exercise, dies, { executionTimeoutMs: 5000 });
    expect(result.status).toBe("graded");
    expect(failing(result)).toEqual(["employees-first", "flag-on-keeps-legacy"]);
    const shown = result.tests.find((t) => t.id === "employees-first")?.counterexample;
    expect(shown).toMatchObject({
      rider: { employee: true, priorityEligible: true },
      trip: { distanceKm: 1, minutes: 1 },
      yours: "threw: InternalError: out of memory",
    });
    expect((shown as { bucket: number }).bucket).toBeLessThan(10);
    expect((result.details as { sandbox: string }).sandbox).toBe("bwrap");
  }, 180_000);
});
