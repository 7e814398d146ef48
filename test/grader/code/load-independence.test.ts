/**
 * A verdict is a function of the submission and the exercise, never of the machine's load: the same
 * submissions graded with both cores saturated by other processes give the same results, rule by rule,
 * message by message and counterexample by counterexample. Budgets that decide verdicts are counted
 * in work and simulated time (engine-host.ts); real time is only a backstop.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import { checkExerciseSamples, loadExercises } from "../../../grader/exercises/index";
import type { GradingResult } from "../../../grader/result";
import { loadExercise, readExerciseFile, readSamples } from "./helpers";

/** Handlers whose verdicts rest on budgets: waiting on timers, spinning, reading the clock. */
const TIMING_SENSITIVE = {
  /** Backs off on its own clock: fine within the budget. */
  backoff: `
    import type { CheckoutRequest, CheckoutResponse, Deps } from "flagship:checkout";
    export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
      const started = Date.now();
      let user;
      for (let delay = 100; ; delay *= 3) {
        try { user = await deps.users.getUser(req.userId); break; }
        catch { if (Date.now() - started + delay > 900) return { status: "error", reason: "user" }; await new Promise((r) => setTimeout(r, delay)); }
      }
      const cart = await deps.carts.getCart(req.cartId).catch(() => null);
      if (!cart) return { status: "error", reason: "cart" };
      const charge = await deps.payments.charge(user.id, cart.totalCents, req.idempotencyKey).catch(() => null);
      if (!charge) return { status: "error", reason: "charge" };
      return { status: "ok", chargedCents: cart.totalCents, chargeId: charge.chargeId };
    }`,
  /** Spins when a call fails: stopped by its work budget, the same on any machine. */
  spinsOnFailure: `
    import type { CheckoutRequest, CheckoutResponse, Deps } from "flagship:checkout";
    export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
      let user;
      try { user = await deps.users.getUser(req.userId); } catch { for (;;) {} }
      const cart = await deps.carts.getCart(req.cartId);
      const charge = await deps.payments.charge(user.id, cart.totalCents, req.idempotencyKey);
      return { status: "ok", chargedCents: cart.totalCents, chargeId: charge.chargeId };
    }`,
  /** Works for a while on every execution: a busy machine must not push it over a budget. */
  busyButFine: `
    import type { CheckoutRequest, CheckoutResponse, Deps } from "flagship:checkout";
    export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
      let x = 0;
      for (let i = 0; i < 200000; i++) x = (x + i) % 7;
      try {
        const user = await deps.users.getUser(req.userId);
        const cart = await deps.carts.getCart(req.cartId);
        const charge = await deps.payments.charge(user.id, cart.totalCents, req.idempotencyKey);
        return { status: "ok", chargedCents: cart.totalCents + x - x, chargeId: charge.chargeId };
      } catch { return { status: "error", reason: "a dependency failed" }; }
    }`,
};

/** What a student and a TA see of a result; the host count and table layout are not part of it. */
const seen = (r: GradingResult) => ({
  status: r.status,
  score: r.score,
  executions: r.executions,
  error: r.error,
  tests: r.tests,
});

const hogs: ChildProcess[] = [];
afterAll(() => {
  for (const hog of hogs) hog.kill("SIGKILL");
});

describe("verdicts under CPU contention", () => {
  it("are the same with both cores saturated as without", async () => {
    const exercise = await loadExercise();
    const samples = await readSamples();
    const sources = [
      await readExerciseFile("solution.ts"),
      ...Object.values(TIMING_SENSITIVE),
      ...samples.filter((s) => ["hangs", "crashes-on-fault", "charges-twice"].includes(s.name)).map((s) => s.answer),
    ];
    const quiet: GradingResult[] = [];
    for (const source of sources) quiet.push(await gradeCode(exercise, source));
    // Two busy loops at full speed, one per core, for as long as the second round takes.
    for (let i = 0; i < 2; i++) hogs.push(spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
    const busy: GradingResult[] = [];
    for (const source of sources) busy.push(await gradeCode(exercise, source));
    for (const hog of hogs.splice(0)) hog.kill("SIGKILL");
    expect(busy.map(seen)).toEqual(quiet.map(seen));
    // And the timing-sensitive handlers got the verdicts their budgets give.
    const [reference, backoff, spins, busyButFine] = quiet;
    expect(reference?.score).toBe(18);
    expect(backoff?.status).toBe("graded");
    expect(spins?.tests.find((t) => t.id === "no-crash")?.message).toMatch(/kept computing without answering/);
    expect(busyButFine?.tests.find((t) => t.id === "no-crash")?.status).toBe("pass");
  }, 300_000);

  it("keep every golden sample of the other code kinds as recorded, with both cores saturated", async () => {
    // Under load, `flagship exercises check` used to report dozens of mismatches on these: hangs and
    // timeouts were counted in real time.
    const { exercises } = await loadExercises(fileURLToPath(new URL("../../../exercises", import.meta.url)));
    // One exercise of each of the other code kinds (gateway-fallbacks shares functional-tests' grader).
    const kinds = exercises.filter((e) => e.id === "dark-launch-flag" || e.id === "functional-tests");
    expect(kinds.map((e) => e.kind).sort()).toEqual(["dark-launch", "functional-tests"]);
    for (let i = 0; i < 2; i++) hogs.push(spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
    const issues = [];
    for (const exercise of kinds) issues.push(...(await checkExerciseSamples(exercise)));
    for (const hog of hogs.splice(0)) hog.kill("SIGKILL");
    expect(issues).toEqual([]);
  }, 600_000);
});
