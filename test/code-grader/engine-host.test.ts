/**
 * The engine host's start-up: the loader reads its first line (the host and the WebAssembly) and the
 * host starts listening only after compiling the WebAssembly, so whatever the grader sends meanwhile
 * must wait for it rather than be dropped. A load sent at any moment of that start must be answered.
 */
import { describe, expect, it } from "vitest";
import { resolveCodeGradingOptions } from "../../grader/code/config";
import { EngineHost, INSPECT_FD, PROTOCOL_FD } from "../../grader/code/sandbox/engine-pool";
import { loaderSource, sessionSource } from "../../grader/code/sandbox/engine-bundle";
import { detectSandboxMode, sandboxCommand } from "../../grader/code/sandbox/modes";
import { checkoutSession } from "../../grader/code/sandbox/session";

const config = resolveCodeGradingOptions({});
const detected = detectSandboxMode();
if ("error" in detected) throw new Error(detected.error);
const mode = detected.mode;

const LOAD = `${JSON.stringify({
  t: "load",
  code: "(function (require, module, exports) { exports.checkout = async () => ({ status: 'error', reason: 'x' }); })",
  session: sessionSource(checkoutSession),
  limits: { memoryBytes: 16 * 1024 * 1024, timeoutMs: 1000 },
})}\n`;

/** Starts a host, sends the load after `delayMs`, and says how the host answered (or that it did not). */
async function loadAfter(delayMs: number): Promise<string> {
  const host = new EngineHost(sandboxCommand(mode, config, loaderSource(PROTOCOL_FD, INSPECT_FD)), config);
  try {
    return await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve("no answer within 5 s"), 5000);
      host.lease({
        onLine: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        onFailure: (why) => {
          clearTimeout(timer);
          resolve(`failed: ${why}`);
        },
      });
      setTimeout(() => host.send(LOAD), delayMs);
    });
  } finally {
    host.kill();
  }
}

describe("an engine host that is still starting", () => {
  it("answers a load sent at any moment of its start", async () => {
    // One host at a time, so each starts at the pace of an idle machine and some load lands while
    // the host compiles the WebAssembly (tens of milliseconds after its first line arrives).
    const answers: string[] = [];
    for (let delayMs = 0; delayMs <= 400; delayMs += 40) answers.push(await loadAfter(delayMs));
    expect(answers).toEqual(Array(answers.length).fill('{"t":"ready"}'));
  }, 60_000);
});
