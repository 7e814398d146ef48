/**
 * The operating-system layers on their own. Student code has no route to Node's APIs (the harness
 * removes `process`, `require` and the console's stream; hostile.test.ts shows each route closed), so
 * these tests assume the worst: a program that escaped every JavaScript-level defence and holds
 * `process` and `require`, started with exactly the command line the grader uses. It must still read,
 * write, spawn, reach and kill nothing outside its sandbox.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveCodeGradingOptions } from "../../../grader/sandbox/config";
import { detectSandboxMode, sandboxCommand, type SandboxMode } from "../../../grader/sandbox/modes";
import { plantTargets } from "../code/targets";

const { scratch, dbFile, secrets, port, connections } = plantTargets("layers");

/** Tries each escape with full Node access and prints one JSON object: attempt → what happened. */
function escapeProgram(port: number, marker: string, written: string): string {
  return `
const out = {};
const attempt = (name, fn) => {
  try { out[name] = "allowed: " + String(fn()).slice(0, 200); }
  catch (e) { out[name] = "blocked: " + (e && (e.code || e.message)); }
};
attempt("read /etc/passwd", () => require("fs").readFileSync("/etc/passwd", "utf8"));
attempt("read the database", () => require("fs").readFileSync(${JSON.stringify(dbFile)}, "utf8"));
attempt("write a file", () => require("fs").writeFileSync(${JSON.stringify(written)}, "x"));
attempt("spawn a process", () => require("child_process").execSync("touch ${marker}"));
attempt("start a worker", () => new (require("worker_threads").Worker)("1", { eval: true }));
attempt("kill the grader", () => process.kill(${process.pid}, "SIGKILL"));
out["environment"] = JSON.stringify(process.env);
const socket = require("net").connect(${port}, "127.0.0.1");
const done = (what) => { out["connect to loopback"] = what; process.stdout.write(JSON.stringify(out) + "\\n"); process.exit(0); };
socket.on("connect", () => done("allowed: connected"));
socket.on("error", (e) => done("blocked: " + e.code));
setTimeout(() => done("blocked: no answer"), 2000);
`;
}

async function runEscape(mode: SandboxMode, program: string): Promise<Record<string, string>> {
  const config = resolveCodeGradingOptions({});
  const [cmd, ...args] = sandboxCommand(mode, config, program);
  const child = spawn(cmd as string, args, { stdio: ["ignore", "pipe", "pipe"], env: {} });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  await once(child, "close");
  const line = stdout.trim().split("\n").pop() ?? "";
  if (!line.startsWith("{")) throw new Error(`the program printed no report; stderr: ${stderr.slice(0, 500)}`);
  return JSON.parse(line) as Record<string, string>;
}

describe.each(["bwrap", "unshare"] as const)("a program with full Node access inside the %s sandbox", (mode) => {
  beforeAll(() => {
    expect(detectSandboxMode({ force: mode })).toEqual({ mode });
  });

  it("reads, writes, spawns, reaches and kills nothing outside", async () => {
    const marker = join(scratch, `spawned-${mode}`);
    const written = join(scratch, `written-${mode}`);
    const report = await runEscape(mode, escapeProgram(port(), marker, written));

    for (const attempt of [
      "read /etc/passwd",
      "read the database",
      "write a file",
      "spawn a process",
      "start a worker",
      "kill the grader",
      "connect to loopback",
    ]) {
      expect(report[attempt], attempt).toMatch(/^blocked: /);
    }
    // Nothing of the grader's environment; bwrap's --chdir sets PWD and nothing else.
    expect(Object.keys(JSON.parse(report["environment"] ?? "null") as object).filter((key) => key !== "PWD")).toEqual(
      [],
    );
    const text = JSON.stringify(report);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(connections()).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(written)).toBe(false);
  });
});
