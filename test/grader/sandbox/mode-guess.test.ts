/**
 * `flagship grade` starts its host in the mode the sandbox will most likely be in, before the probes
 * that decide it have answered (prestart.ts): the guess must be the mode the grading then settles on.
 */
import { describe, expect, it } from "vitest";
import { detectSandboxMode, guessSandboxMode } from "../../../grader/sandbox/modes";

describe("guessing the sandbox mode ahead of its probes", () => {
  it("names the mode the probes then settle on, and leaves them answered", async () => {
    const guessed = guessSandboxMode();
    const detected = detectSandboxMode();
    expect("mode" in detected && detected.mode).toBe(guessed);
    // Asked again once the probes it started have finished: the same mode, never a different one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(guessSandboxMode()).toBe(guessed);
    expect(detectSandboxMode()).toEqual(detected);
  });
});
