/**
 * The sandbox runner with several executions in flight in one child: each gets its own calls and its
 * own answer, and a failure that cannot be pinned on one execution (a hang blocks the whole child) is
 * sorted out by running each execution again alone, from fresh state.
 */
import { describe, expect, it } from "vitest";
import type { CallHandler, RawRun } from "../../grader/code/sandbox/runner";
import { CHECKOUT_PROFILE } from "../../grader/code/sandbox/session";
import { startSandbox } from "../../grader/code/sandbox/start";

/** Echoes what the grader answered for its one call; the user "hang" never returns. */
const SOURCE = `
export async function checkout(req: { userId: string }, deps: any) {
  const user = await deps.users.getUser(req.userId);
  if (req.userId === "hang") for (;;) {}
  return { status: "ok", chargedCents: user.n, chargeId: req.userId };
}`;

async function runner(executionsInFlight: number) {
  const started = await startSandbox(SOURCE, CHECKOUT_PROFILE, { executionsInFlight, executionTimeoutMs: 500 });
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
      if (calls > 1 || call.method !== "getUser" || call.args[0] !== userId) return { violation: `unexpected ${call.method} for ${userId}` };
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
    const runs = await Promise.all(users.map((userId, i) => sandbox.run({ userId }, answering(userId, 1000 + i, attempts))));
    await sandbox.close();
    expect(runs.map(returned)).toEqual(users.map((userId, i) => ({ status: "ok", chargedCents: 1000 + i, chargeId: userId })));
    expect(sandbox.childrenStarted).toBe(1);
    expect([...attempts.values()].every((n) => n === 1)).toBe(true);
  });

  it("blames a hang only on the execution that hangs alone, after running the others again", async () => {
    const sandbox = await runner(4);
    const attempts = new Map<string, number>();
    const users = ["a", "b", "hang", "c", "d", "e"];
    const runs = await Promise.all(users.map((userId, i) => sandbox.run({ userId }, answering(userId, i, attempts))));
    await sandbox.close();
    const byUser = Object.fromEntries(users.map((userId, i) => [userId, runs[i] as RawRun]));
    expect(byUser["hang"]?.settlement).toEqual({ kind: "timeout", afterMs: 500 });
    for (const userId of users.filter((u) => u !== "hang")) expect(returned(byUser[userId] as RawRun)).toMatchObject({ status: "ok", chargeId: userId });
    // The four that shared the child with the hang ran again alone, each from a fresh call handler.
    expect([...attempts.entries()].filter(([, n]) => n === 2).map(([u]) => u).sort()).toEqual(["a", "b", "c", "hang"]);
    expect(attempts.get("d")).toBe(1);
    expect(attempts.get("e")).toBe(1);
  });

  it("settles everything still waiting when it is closed, and starts no child afterwards", async () => {
    const sandbox = await runner(1);
    const attempts = new Map<string, number>();
    const pending = ["hang", "x", "y"].map((userId, i) => sandbox.run({ userId }, answering(userId, i, attempts)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sandbox.close();
    const runs = await Promise.all(pending);
    expect(runs.map((r) => r.settlement)).toEqual(Array(3).fill({ kind: "crashed", detail: "the grader stopped this sandbox" }));
    const after = await sandbox.run({ userId: "z" }, answering("z", 0, attempts));
    expect(after.settlement.kind).toBe("crashed");
    expect(sandbox.childrenStarted).toBe(1);
  });
});
