/**
 * The engine host's life, driven over its protocol. Start-up: the loader reads its first line (the
 * host and the WebAssembly) and the host starts listening only after compiling the WebAssembly, so
 * whatever the grader sends meanwhile must wait for it rather than be dropped. Reuse: a host goes back
 * to the pool after a submission only if that submission left its memory small.
 */
import { describe, expect, it } from "vitest";
import { resolveCodeGradingOptions } from "../../../grader/sandbox/config";
import { EngineHost, PROTOCOL_FD } from "../../../grader/sandbox/engine-pool";
import { loaderSource } from "../../../grader/sandbox/engine-bundle";
import { sessionSource } from "../../../grader/sandbox/session-source";
import { detectSandboxMode, sandboxCommand } from "../../../grader/sandbox/modes";
import { CHECKOUT_PROFILE } from "../../../grader/sandbox/session";

const config = resolveCodeGradingOptions({});
const detected = detectSandboxMode();
if ("error" in detected) throw new Error(detected.error);
const mode = detected.mode;

const SESSION = await sessionSource(CHECKOUT_PROFILE);

const loadLine = (checkout: string) =>
  `${JSON.stringify({
    t: "load",
    code: `(function (require, module, exports) { exports.checkout = ${checkout}; })`,
    session: SESSION,
    limits: {
      memoryBytes: 256 * 1024 * 1024,
      timeoutMs: 5000,
      maxWorkTicks: 500,
      callLatencyMs: 10,
      maxCallArgsBytes: 16 * 1024,
      maxResponseBytes: 200 * 1024,
    },
  })}\n`;
const LOAD = loadLine("async () => ({ status: 'error', reason: 'x' })");

function startHost(): EngineHost {
  return new EngineHost(sandboxCommand(mode, config, loaderSource(PROTOCOL_FD)), config);
}

/** Leases the host; `next` resolves with the next line the host sends. */
function leased(host: EngineHost): { next: () => Promise<string> } {
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  host.lease({
    onLine: (line) => {
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    },
    onFailure: (why) => waiters.shift()?.(`failed: ${why}`),
  });
  return {
    next: () => new Promise((resolve) => (lines.length > 0 ? resolve(lines.shift() as string) : waiters.push(resolve))),
  };
}

/** Starts a host, sends the load after `delayMs`, and says how the host answered (or that it did not). */
async function loadAfter(delayMs: number): Promise<string> {
  const host = startHost();
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
  }, 180_000);
});

describe("an engine host after a submission", () => {
  /** Loads `checkout`, runs it once, and says whether the host came back clean from the unload. */
  async function cleanAfter(checkout: string): Promise<{ done: string; clean: boolean }> {
    const host = startHost();
    try {
      const lines = leased(host);
      host.send(loadLine(checkout));
      expect(await lines.next()).toBe('{"t":"ready"}');
      host.send(`${JSON.stringify({ t: "run", exec: 0, req: {} })}\n`);
      // The work an execution did is counted in ticks of the engine; not what these tests are about.
      return { done: (await lines.next()).replace(/,"work":\d+\}$/, "}"), clean: await host.unload(5000) };
    } finally {
      host.kill();
    }
  }

  it("goes back to the pool when the submission stayed small", async () => {
    expect(await cleanAfter("async () => ({ status: 'error', reason: 'small' })")).toEqual({
      done: '{"t":"done","exec":0,"ok":true,"value":{"status":"error","reason":"small"}}',
      clean: true,
    });
  });

  it("gives the next submission an engine that keeps nothing of the last one, prepared while it waited", async () => {
    const host = startHost();
    try {
      /** Leases the host, loads `checkout` and runs it once: what it answered. */
      const loadAndRun = async (checkout: string, exec: number) => {
        const lines = leased(host);
        host.send(loadLine(checkout));
        expect(await lines.next()).toBe('{"t":"ready"}');
        host.send(`${JSON.stringify({ t: "run", exec, req: {} })}\n`);
        return (await lines.next()).replace(/,"work":\d+\}$/, "}");
      };
      await loadAndRun(
        "async () => { globalThis.leftover = 1; Object.prototype.planted = 2; return { status: 'error', reason: 'planted' }; }",
        0,
      );
      expect(await host.unload(5000)).toBe(true);
      // Loaded at once: the load lands while the host prepares its engines for the next submission.
      expect(
        await loadAndRun("async () => ({ status: 'error', reason: typeof leftover + ' ' + typeof ({}).planted })", 1),
      ).toBe('{"t":"done","exec":1,"ok":true,"value":{"status":"error","reason":"undefined undefined"}}');
    } finally {
      host.kill();
    }
  });

  it("retires when the submission grew the engine's memory, which never shrinks", async () => {
    const grown = await cleanAfter(
      "async () => { const keep = []; for (let i = 0; i < 10; i++) keep.push(new Float64Array(1 << 20).fill(i)); return { status: 'error', reason: String(keep.length) }; }",
    );
    expect(grown).toEqual({
      done: '{"t":"done","exec":0,"ok":true,"value":{"status":"error","reason":"10"}}',
      clean: false,
    });
  });
});
