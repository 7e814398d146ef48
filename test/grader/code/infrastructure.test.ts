/**
 * Infrastructure never scores: a sandbox host killed from outside, or one that will not start, is the
 * machine's failure. The grading goes on on a fresh host and ends with the verdict it would have had
 * undisturbed, or, when the machinery keeps failing, with an infrastructure error: never with a grade
 * the code did not earn.
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import type { GradingResult } from "../../../grader/result";
import { loadExercise } from "./helpers";

const RETRYING = fileURLToPath(new URL("./fixtures/retry/any-error.ts", import.meta.url));
const verdict = (r: GradingResult) => ({ status: r.status, score: r.score, executions: r.executions, tests: r.tests });

/** This process's children by command name: the sandbox hosts (bwrap, or node in the fallback modes) and esbuild. */
function children(): { pid: number; command: string }[] {
  return execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, command]) => pid && command)
    .map(([pid, command]) => ({ pid: Number(pid), command: command ?? "" }));
}

const hostPids = () =>
  children()
    .filter((c) => c.command !== "esbuild" && c.command !== "ps")
    .map((c) => c.pid);

/**
 * Kills every host started from now on as soon as one is running, `times` times over (0: until
 * stopped). Hosts already running are idle in the pool for other configurations, and left alone.
 */
function killHosts(times: number): { stop: () => void; kills: () => number } {
  // A killed host stays listed until its parent reaps it: it is not killed twice, nor counted twice.
  const idle = new Set(hostPids());
  let kills = 0;
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped || (times > 0 && kills >= times)) return;
    const pids = hostPids().filter((pid) => !idle.has(pid));
    for (const pid of pids) idle.add(pid);
    if (pids.length === 0) return;
    kills++;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
  }, 25);
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
    kills: () => kills,
  };
}

describe("a grading whose sandbox hosts are killed", () => {
  it("ends with the undisturbed verdict when hosts are killed twice", async () => {
    const exercise = await loadExercise();
    const source = await readFile(RETRYING, "utf8");
    const undisturbed = await gradeCode(exercise, source);
    expect(undisturbed.score).toBe(18);
    // A configuration no other grading uses, so no idle host of the pool is there to skip the start.
    const options = { heapMb: 67 };
    const killer = killHosts(2);
    const disturbed = await gradeCode(exercise, source, options);
    killer.stop();
    expect(killer.kills()).toBe(2);
    expect(verdict(disturbed)).toEqual(verdict(undisturbed));
    // At least one host was leased, killed and replaced. (The first kill may land on the host started
    // while the code compiled, before any lease: the grading then never sees it.)
    expect((disturbed.details as { hostsLeased: number }).hostsLeased).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it("is an infrastructure error, not a grade, when hosts keep dying", async () => {
    const exercise = await loadExercise();
    const killer = killHosts(0);
    const result = await gradeCode(exercise, await readFile(RETRYING, "utf8"), { heapMb: 69, maxHostFailures: 2 });
    killer.stop();
    expect(result.status).toBe("infrastructure_error");
    expect(result.score).toBe(0);
    expect(result.tests).toEqual([]);
    // Killed while starting or while running: either way, three failures and no more tries.
    expect(result.error).toMatch(/the sandbox failed 3 times in one grading/);
  }, 180_000);

  it("is an infrastructure error when no host will start in time", async () => {
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, await readFile(RETRYING, "utf8"), {
      heapMb: 71,
      startTimeoutMs: 100,
      maxHostFailures: 1,
    });
    expect(result.status).toBe("infrastructure_error");
    expect(result.error).toMatch(/did not start within 100 ms/);
  }, 240_000);
});

describe("the compiler's own process", () => {
  it("is started afresh when it was killed, and a submission still compiles", async () => {
    const exercise = await loadExercise();
    expect((await gradeCode(exercise, await readFile(RETRYING, "utf8"))).status).toBe("graded");
    const esbuild = children().filter((c) => c.command === "esbuild");
    expect(esbuild.length).toBeGreaterThan(0);
    for (const { pid } of esbuild) process.kill(pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await gradeCode(exercise, await readFile(RETRYING, "utf8"));
    expect(after.status).toBe("graded");
    expect(after.score).toBe(18);
  }, 240_000);
});

describe("a submission that does not compile", () => {
  it("is feedback with the compiler's words, not a graded attempt", async () => {
    const result = await gradeCode(await loadExercise(), "export async function checkout( {");
    expect(result.status).toBe("compile_error");
    expect(result.score).toBe(0);
    expect(result.error).toMatch(/Your code did not compile: line 1, column \d+/);
  }, 180_000);
});
