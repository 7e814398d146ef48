/**
 * The sandbox runner with several executions in flight on one engine host: each gets its own calls and
 * its own answer; a hang is the hanging execution's alone, counted in its own work, so the others held
 * up by it in real time are not touched; and a failure of the host itself, which
 * cannot be pinned on one execution, is sorted out by running each execution again alone, from fresh
 * state.
 */
import { describe, expect, it } from "vitest";
import type { CallHandler, RawRun } from "../../../grader/sandbox/runner";
import { CHECKOUT_PROFILE } from "../../../grader/sandbox/session";
import { startSandbox } from "../../../grader/sandbox/start";

/** Echoes what the grader answered for its one call; the user "hang" never returns. */
const SOURCE = `
export async function checkout(req: { userId: string }, deps: any) {
  const user = await deps.users.getUser(req.userId);
  if (req.userId === "hang") for (;;) {}
  return { status: "ok", chargedCents: user.n, chargeId: req.userId };
}`;

async function runner(executionsInFlight: number, maxWorkTicks = 500) {
  const started = await startSandbox(SOURCE, CHECKOUT_PROFILE, {
    executionsInFlight,
    executionTimeoutMs: 500,
    maxWorkTicks,
  });
  if (!started.ok) throw new Error(`the sandbox did not start: ${JSON.stringify(started)}`);
  return started.runner;
}

/** A call handler that answers getUser with a number unique to the user, counting attempts. */
function answering(userId: string, n: number, attempts: Map<string, number>): () => CallHandler {
  return () => {
    attempts.set(userId, (attempts.get(userId) ?? 0) + 1);
    let calls = 0;
    return (call) => {
      calls++;
      if (calls > 1 || call.method !== "getUser" || call.args[0] !== userId)
        return { violation: `unexpected ${call.method} for ${userId}` };
      return { ok: true, value: { n } };
    };
  };
}

const returned = (run: RawRun) => (run.settlement.kind === "returned" ? run.settlement.value : run.settlement);

describe("a sandbox runner with several executions in flight", () => {
  it("answers each execution's calls and returns each its own response", async () => {
    const sandbox = await runner(8);
    const attempts = new Map<string, number>();
    const users = Array.from({ length: 20 }, (_, i) => `u${i}`);
    const runs = await Promise.all(
      users.map((userId, i) => sandbox.run({ userId }, answering(userId, 1000 + i, attempts))),
    );
    await sandbox.close();
    expect(runs.map(returned)).toEqual(
      users.map((userId, i) => ({ status: "ok", chargedCents: 1000 + i, chargeId: userId })),
    );
    expect(sandbox.hostsLeased).toBe(1);
    expect([...attempts.values()].every((n) => n === 1)).toBe(true);
  });

  it("stops a hang by its own work, and the others held up by it still answer, each run once", async () => {
    const sandbox = await runner(4);
    const attempts = new Map<string, number>();
    const users = ["a", "b", "hang", "c", "d", "e"];
    const runs = await Promise.all(users.map((userId, i) => sandbox.run({ userId }, answering(userId, i, attempts))));
    await sandbox.close();
    const byUser = Object.fromEntries(users.map((userId, i) => [userId, runs[i] as RawRun]));
    expect(byUser["hang"]?.settlement).toEqual({ kind: "timeout", cause: "work", afterMs: 10, budgetMs: 500 });
    for (const userId of users.filter((u) => u !== "hang"))
      expect(returned(byUser[userId] as RawRun)).toMatchObject({ status: "ok", chargeId: userId });
    // The host stops the hang itself and keeps serving: no host is replaced, and since budgets are
    // counted per execution in work and simulated time, nothing runs twice.
    expect([...attempts.values()].every((n) => n === 1)).toBe(true);
    expect(sandbox.hostsLeased).toBe(1);
  });

  it("blames a refused call on its execution, and runs the others in flight again alone in a fresh host", async () => {
    const sandbox = await runner(4);
    const attempts = new Map<string, number>();
    const users = ["a", "b", "c", "d"];
    // A call the grader refuses breaks the protocol: the host is killed with the others in flight.
    const runs = await Promise.all(
      users.map((userId, i) => {
        const honest = answering(userId, i, attempts);
        return sandbox.run({ userId }, () =>
          userId === "c" ? () => ({ violation: "the grader refused this call" }) : honest(),
        );
      }),
    );
    await sandbox.close();
    expect(runs[2]?.settlement).toEqual({ kind: "crashed", detail: "the grader refused this call" });
    for (const i of [0, 1, 3]) expect(returned(runs[i] as RawRun)).toMatchObject({ status: "ok", chargedCents: i });
    expect(sandbox.hostsLeased).toBe(2);
  });

  it("keeps the engine up when an execution runs out of memory, catches it and answers", async () => {
    // QuickJS cannot free a runtime that ran out of memory: freeing it aborted the engine, after the
    // execution was over, and took every execution in flight with it. Nothing is freed any more; the
    // next execution starts from the snapshot (engine-snapshot.ts), which drops it all at once.
    const started = await startSandbox(
      `export async function checkout(req: any) {
  if (req.userId === "bomb") { try { const keep: any[] = []; for (;;) keep.push({ n: keep.length }); } catch { return { status: "error", reason: "caught" }; } }
  return { status: "ok", chargedCents: 1, chargeId: req.userId };
}`,
      CHECKOUT_PROFILE,
      { executionsInFlight: 2, executionTimeoutMs: 5000 },
    );
    if (!started.ok) throw new Error(`the sandbox did not start: ${JSON.stringify(started)}`);
    const users = ["bomb", "a", "b", "c", "d", "e"];
    const runs = await Promise.all(
      users.map((userId) => started.runner.run({ userId }, () => () => ({ ok: true, value: 1 }))),
    );
    await started.runner.close();
    expect(runs.map((r) => r.settlement)).toEqual(
      users.map((userId) => ({
        kind: "returned",
        value:
          userId === "bomb"
            ? { status: "error", reason: "caught" }
            : { status: "ok", chargedCents: 1, chargeId: userId },
      })),
    );
    expect(started.runner.hostsLeased).toBe(1);
  }, 180_000);

  it("settles everything still waiting when it is closed, and leases no host afterwards", async () => {
    // A hang with work enough for minutes, so it is still spinning when the runner closes, however
    // slowly this test's own timer fires on a busy machine.
    const sandbox = await runner(1, 1_000_000_000);
    const attempts = new Map<string, number>();
    const pending = ["hang", "x", "y"].map((userId, i) => sandbox.run({ userId }, answering(userId, i, attempts)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sandbox.close();
    const runs = await Promise.all(pending);
    expect(runs.map((r) => r.settlement)).toEqual(
      Array(3).fill({ kind: "crashed", detail: "the grader stopped this sandbox" }),
    );
    const after = await sandbox.run({ userId: "z" }, answering("z", 0, attempts));
    expect(after.settlement.kind).toBe("crashed");
    expect(sandbox.hostsLeased).toBe(1);
  });
});
