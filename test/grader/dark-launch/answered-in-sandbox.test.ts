/**
 * The dark-launch calls are answered inside the sandbox (grader/code/README.md, "What the sandbox may
 * answer itself"), in the real engine: the grader records every call but answers none it need not,
 * yet every answer arrives as a call's would (the call's simulated latency, in order with timers, a
 * fresh copy each time). What the session's rules refuse still gets the grader's refusal as a
 * ServiceError, code that breaks the in-sandbox answering gets the grader's answer instead, code that
 * makes the sandbox answer what the grader refuses fails, and a session without the grader's rules
 * cannot have a call taken as answered at all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DARK_LAUNCH_PROFILE } from "../../../grader/dark-launch/grade";
import { answerFlagCall } from "../../../grader/dark-launch/flag-client";
import { answerPricing } from "../../../grader/dark-launch/pricing";
import type { FlagState } from "../../../grader/dark-launch/contract";
import type { JsonValue } from "../../../grader/result";
import type { CallAnswer, CallFromChild, SandboxRunner } from "../../../grader/sandbox/runner";
import type { SandboxProfile } from "../../../grader/sandbox/session";
import { startSandbox } from "../../../grader/sandbox/start";

/** Every call that reached the grader in the last run, as "service.method", "(answered here)" when the sandbox answered it. */
let reached: string[] = [];

/** The grader's side, as gradeDarkLaunch answers it, by the same rules as the sandbox. */
function answer(flag: FlagState) {
  return (call: CallFromChild): CallAnswer => {
    reached.push(`${call.service}.${call.method}${call.answered ? " (answered here)" : ""}`);
    if (call.service === "flags") {
      const flagAnswer = answerFlagCall(call.method, call.args, flag);
      if (flagAnswer.ok) return { ok: true, value: flagAnswer.value };
      return { ok: false, error: { kind: "internal", status: 400, retryable: false, message: flagAnswer.message } };
    }
    const quote = answerPricing(call.method, call.args);
    if (quote.ok) return { ok: true, value: quote.value as unknown as JsonValue };
    return { ok: false, error: { kind: "internal", status: 400, retryable: false, message: quote.rejected } };
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
      quote: { cents: 250 + 3 * 120 + 9 * 30, etaMinutes: 6 },
      total: 50,
    });
    // Every call is on the grader's record; none needed its answer.
    expect(reached).toEqual([
      "flags.getBooleanValue (answered here)",
      "flags.getBooleanDetails (answered here)",
      "flags.getBooleanDetails (answered here)",
      "flags.get (answered here)",
      "pricing.standardQuote (answered here)",
    ]);
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
      expect(reached).toEqual(["flags.getBooleanValue"]);
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
      expect(reached).toEqual(["flags.getBooleanValue"]);
    } finally {
      await runner.close();
    }
  });

  it("fails code that makes the sandbox answer a call the grader refuses", async () => {
    // The trip has no fields of its own; inherited ones satisfy the rules in the sandbox, and the
    // grader, which sees the trip as sent, refuses it.
    const runner = await started(`
      Object.assign(Object.prototype, { distanceKm: 3, minutes: 9 });
      return await deps.pricing.standardQuote({});`);
    try {
      expect(await run(runner, { mode: "off" })).toBe(
        "crashed: got an answer from inside the sandbox to pricing.standardQuote, which the grader refuses: pricing.standardQuote expects a trip { distanceKm, minutes }",
      );
    } finally {
      await runner.close();
    }
  });

  it("takes no call as answered in the sandbox from a session without a library: that host made it up", async () => {
    // A session that claims to answer a call itself, which only a session with the grader's own rules
    // (a library) may do: the grader blames the host, as for any broken protocol, and the execution,
    // which brings that about on every fresh host, gets no answer from it.
    const rogue: SandboxProfile = {
      moduleName: "flagship:checkout",
      session: (env) => ({
        moduleName: "flagship:checkout",
        provided: {},
        invoke: () => env.call("payments", "charge", [], () => ({ value: { ok: true } })),
      }),
    };
    const start = await startSandbox("export async function checkout() {}", rogue, { executionTimeoutMs: 500 });
    if (!start.ok) throw new Error(JSON.stringify(start));
    try {
      const run = await start.runner.run({}, () => answer({ mode: "off" }));
      expect(run.settlement).toEqual({
        kind: "crashed",
        detail:
          "reported a call it answered itself, which this session never does (each of 3 times it ran alone on a fresh sandbox)",
      });
    } finally {
      await start.runner.close();
    }
  });
});
