/**
 * `flagship grade` starts a host for its one grading (prestart.ts). When the grading ends that host is
 * killed, not pooled: the command would otherwise wait for it to unload before it could exit, and
 * nothing else will use it. (A server's hosts going back to the pool: engine-host.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_HOST_LIMITS, acquireHost } from "../../../grader/sandbox/engine-pool";
import { detectSandboxMode } from "../../../grader/sandbox/modes";
import { prestartHostForOneGrading } from "../../../grader/sandbox/prestart";
import { CHECKOUT_PROFILE } from "../../../grader/sandbox/session";
import { startSandbox } from "../../../grader/sandbox/start";

const source = `export async function checkout() { return { status: "ok" }; }`;

async function gradeOnce(): Promise<void> {
  const started = await startSandbox(source, CHECKOUT_PROFILE);
  if (!started.ok) throw new Error(JSON.stringify(started));
  const run = await started.runner.run({}, () => () => ({ violation: "no calls expected" }));
  expect(run.settlement).toEqual({ kind: "returned", value: { status: "ok" } });
  await started.runner.close();
}

describe("the host a one-off grading starts", () => {
  const detected = detectSandboxMode();
  if (!("mode" in detected)) throw new Error(detected.error);

  it("is killed when the grading ends, and the pool keeps nothing of it", async () => {
    prestartHostForOneGrading();
    await gradeOnce();
    // Were it unloaded and pooled instead, it would be back in the pool by now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const next = acquireHost(detected.mode, DEFAULT_HOST_LIMITS);
    try {
      expect(next.lifetime).toBe("many-gradings");
    } finally {
      next.kill();
    }
  });
});
