/**
 * How time and failed promises behave in the sandbox, as a service handler would see them in Node.
 *
 * Timers run on each execution's own clock: when an execution waits on nothing but timers, its clock
 * jumps to the next one due. A handler that backs off between retries is graded as fast as one that
 * does not (with real waits, hundreds of executions of it ran out the grading's time budget), its
 * Date shows the time it waited, and one that waits past its budget times out at once.
 *
 * A call that fails with nobody to handle it ends the execution as the crash it would be in Node.
 */
import { describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import { SIMULATED_EPOCH_MS } from "../../../grader/sandbox/engine-host";
import { CHECKOUT_PROFILE } from "../../../grader/sandbox/session";
import { startSandbox } from "../../../grader/sandbox/start";
import { loadExercise, readExerciseFile } from "../code/helpers";

const exercise = await loadExercise();

describe("timers in the sandbox", () => {
  it("gives full marks to a solution that backs off before each retry of a read", async () => {
    const retrying = await readExerciseFile("solution-retry-reads.ts");
    const backingOff = retrying.replace(
      `  try {
    return await read();
  } catch {
    return await read();
  }`,
      `  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (e) {
      if (attempt === 3) throw e;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }`,
    );
    expect(backingOff).not.toBe(retrying);
    const result = await gradeCode(exercise, backingOff);
    expect(result.status).toBe("graded");
    expect(result.score).toBe(result.maxScore);
  });

  it("shows the waited time in Date, and times out at once a wait past the budget", async () => {
    const started = await startSandbox(
      `export async function checkout(req: any) {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const before = Date.now();
  const at = new Date().getTime();
  await sleep(req.userId === "long" ? 5000 : 300);
  return { status: "error", reason: String(Date.now() - before) + " " + String(new Date().getTime() - at) + " " + String(new Date(0).getTime()) + " " + String(before) };
}`,
      CHECKOUT_PROFILE,
      { executionTimeoutMs: 1000 },
    );
    if (!started.ok) throw new Error(`the sandbox did not start: ${JSON.stringify(started)}`);
    const answer = () => () => ({ ok: true as const, value: 1 });
    const runs = await Promise.all(["short", "long"].map((userId) => started.runner.run({ userId }, answer)));
    await started.runner.close();
    const [short, long] = runs.map((r) => r.settlement);
    // Exactly the 300 ms it waited, on its simulated clock, which starts at the same instant every time.
    const reason = short?.kind === "returned" ? String((short.value as { reason: string }).reason) : "";
    const [sinceNow, sinceDate, epoch, startedAt] = reason.split(" ").map(Number);
    expect(epoch).toBe(0);
    expect(startedAt).toBe(SIMULATED_EPOCH_MS);
    expect([sinceNow, sinceDate]).toEqual([300, 300]);
    // The wait would have ended at 5 s: past the budget, so it times out at once, saying when.
    expect(long).toEqual({ kind: "timeout", cause: "clock", afterMs: 5000, budgetMs: 1000 });
  });
});

describe("a call whose failure nobody handles", () => {
  it("fails the execution as the crash it would be in Node, and only when nobody handles it", async () => {
    const started = await startSandbox(
      `export async function checkout(req: any, deps: any) {
  const forgotten = deps.pricing.getAdjustment("u", 1);
  if (req.userId === "handled") await forgotten.then(() => undefined).finally(() => undefined).catch(() => undefined);
  await deps.users.getUser("u");
  return { status: "error", reason: "answered" };
}`,
      CHECKOUT_PROFILE,
      {},
    );
    if (!started.ok) throw new Error(`the sandbox did not start: ${JSON.stringify(started)}`);
    // The pricing call fails; every other call succeeds.
    const answer = () => (call: { service: string }) =>
      call.service === "pricing"
        ? {
            ok: false as const,
            error: { kind: "timeout", status: 504, retryable: true, message: "pricing.getAdjustment failed" },
          }
        : { ok: true as const, value: {} };
    const runs = await Promise.all(["forgotten", "handled"].map((userId) => started.runner.run({ userId }, answer)));
    await started.runner.close();
    expect(runs.map((r) => r.settlement)).toEqual([
      { kind: "crashed", detail: "unhandled rejection: ServiceError: pricing.getAdjustment failed" },
      { kind: "returned", value: { status: "error", reason: "answered" } },
    ]);
  });
});
