/**
 * Flag evaluations are answered inside the sandbox (grader/code/README.md, "What the sandbox may
 * answer itself"), in the real engine: no round trip to the grader, yet every answer arrives as a
 * call's would (the call's simulated latency, in order with timers, a fresh copy each time). What the
 * session cannot evaluate still reaches the grader and fails as a ServiceError, and code that breaks
 * the in-sandbox answering gets the grader's answer instead.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DARK_LAUNCH_PROFILE } from "../../../grader/dark-launch/grade";
import { answerFlagCall } from "../../../grader/dark-launch/flag-client";
import type { FlagState } from "../../../grader/dark-launch/contract";
import type { JsonValue } from "../../../grader/result";
import type { CallAnswer, CallFromChild, SandboxRunner } from "../../../grader/sandbox/runner";
import { startSandbox } from "../../../grader/sandbox/start";

/** Every call that reached the grader in the last run. */
let reached: CallFromChild[] = [];

/** The grader's side, as gradeDarkLaunch answers it: flags refused or answered by the same rules, pricing a fixed quote. */
function answer(flag: FlagState) {
  return (call: CallFromChild): CallAnswer => {
    reached.push(call);
    if (call.service === "flags") {
      const flagAnswer = answerFlagCall(call.method, call.args, flag);
      if (flagAnswer.ok) return { ok: true, value: flagAnswer.value };
      return { ok: false, error: { kind: "internal", status: 400, retryable: false, message: flagAnswer.message } };
    }
    return { ok: true, value: { cents: 900, etaMinutes: 4 } };
  };
}

async function started(handler: string): Promise<SandboxRunner> {
  const source = `import type { Deps } from "flagship:rides";\nexport async function quoteRide(req: { riderId: string }, deps: Deps) {\n${handler}\n}`;
  const start = await startSandbox(source, DARK_LAUNCH_PROFILE, { executionTimeoutMs: 500 });
  if (!start.ok) throw new Error(JSON.stringify(start));
  return start.runner;
}

async function run(runner: SandboxRunner, flag: FlagState): Promise<JsonValue | string> {
  reached = [];
  const raw = await runner.run({ input: { riderId: "r-7" }, seed: 1, flag: flag as unknown as JsonValue }, () =>
    answer(flag),
  );
  if (raw.settlement.kind === "returned") return raw.settlement.value;
  return `${raw.settlement.kind}: ${"detail" in raw.settlement ? raw.settlement.detail : ""}`;
}

describe("flag evaluations answered in the sandbox", () => {
  let runner: SandboxRunner;
  beforeAll(async () => {
    runner = await started(`
      const t0 = Date.now();
      const order: string[] = [];
      setTimeout(() => order.push("timer due with the answer"), 10);
      const on = await deps.flags.getBooleanValue("priority-rides", false, { targetingKey: req.riderId, employee: true });
      order.push("evaluation");
      const waited = Date.now() - t0;
      const details = await deps.flags.getBooleanDetails("priority-rides", false, { targetingKey: req.riderId, employee: true });
      details.value = "changed by the handler";
      const again = await deps.flags.getBooleanDetails("priority-rides", false, { targetingKey: req.riderId, employee: true });
      const raw = await deps.flags.get("priority-rides");
      const quote = await deps.pricing.standardQuote({ distanceKm: 3, minutes: 9 });
      return { on, waited, order, again, raw, quote, total: Date.now() - t0 };`);
  });
  afterAll(() => runner.close());

  it("answers every evaluation without the grader, as a call would: its latency, its order, a fresh copy", async () => {
    const value = await run(runner, { mode: "employees" });
    expect(value).toEqual({
      on: true,
      waited: 10,
      // The timer was started first, so at the same instant it runs first, as it would for a call.
      order: ["timer due with the answer", "evaluation"],
      again: { flagKey: "priority-rides", value: true, variant: "on", reason: "TARGETING_MATCH", flagMetadata: {} },
      raw: { mode: "employees" },
      quote: { cents: 900, etaMinutes: 4 },
      total: 50,
    });
    // Only the pricing call, which the judge needs on record, reached the grader.
    expect(reached.map((c) => `${c.service}.${c.method}`)).toEqual(["pricing.standardQuote"]);
  });

  it("answers from the flag state sent with each input", async () => {
    const value = (await run(runner, { mode: "off" })) as { on: boolean; raw: unknown };
    expect(value.on).toBe(false);
    expect(value.raw).toEqual({ mode: "off" });
  });
});

describe("what the sandbox does not answer", () => {
  it("passes a call it cannot evaluate to the grader, which refuses it with a ServiceError", async () => {
    const runner = await started(`
      try {
        await deps.flags.getBooleanValue("priority-rides", "yes", {});
        return "answered";
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message, kind: (error as { kind: string }).kind };
      }`);
    try {
      expect(await run(runner, { mode: "ramp", percent: 50 })).toEqual({
        name: "ServiceError",
        message: "flags.getBooleanValue(flagKey, defaultValue, context): defaultValue must be a boolean",
        kind: "internal",
      });
      expect(reached.map((c) => `${c.service}.${c.method}`)).toEqual(["flags.getBooleanValue"]);
    } finally {
      await runner.close();
    }
  });

  it("gets the grader's answer when the handler breaks the in-sandbox answering", async () => {
    // A getter on Object.prototype makes every context lookup in the sandbox throw; the grader's
    // copy of the rules runs in Node, out of the handler's reach, and answers instead.
    const runner = await started(`
      Object.defineProperty(Object.prototype, "targetingKey", { get() { throw new Error("poisoned"); }, configurable: true });
      return await deps.flags.getBooleanValue("priority-rides", false, { employee: true });`);
    try {
      expect(await run(runner, { mode: "employees" })).toBe(true);
      expect(reached.map((c) => `${c.service}.${c.method}`)).toEqual(["flags.getBooleanValue"]);
    } finally {
      await runner.close();
    }
  });
});
