/**
 * Hostile submissions, graded end to end: each must be contained (nothing read, written, spawned,
 * reached or killed outside the sandbox), scored as failing, and leave the grader able to grade the
 * reference with full marks right after. They get around the compile-time import ban by looking for
 * Node on the global object; the QuickJS engine they run in has none (no `process`, no `require`, no
 * I/O). sandbox-layers.test.ts shows the operating-system layers holding even for code that did find
 * a route.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import type { CodeGradingOptions } from "../../../grader/sandbox/config";
import { CHECKOUT_PROFILE } from "../../../grader/sandbox/session";
import { startSandbox } from "../../../grader/sandbox/start";
import { loadExercise, readExerciseFile } from "../code/helpers";
import { plantTargets } from "../code/targets";

const exercise = await loadExercise();
const reference = await readExerciseFile("solution.ts");
const { scratch, dbFile, secrets, port, connections } = plantTargets("hostile");

/** A handler that runs `body` (which sets `seen`) and reports what it saw as its error reason. */
function probe(body: string): string {
  return `
export async function checkout(req: unknown, deps: unknown) {
  const g = globalThis as any;
  let seen = "nothing";
  try {
    ${body}
  } catch (e) {
    seen = "blocked: " + String((e as Error)?.message ?? e);
  }
  return { status: "error", reason: String(seen) };
}`;
}

const fast: CodeGradingOptions = { executionTimeoutMs: 400 };

async function expectContained(source: string, options: CodeGradingOptions = fast) {
  const result = await gradeCode(exercise, source, options);
  expect(result.status).toBe("graded");
  expect(result.score).toBeLessThan(result.maxScore);
  const text = JSON.stringify(result);
  for (const secret of secrets) expect(text).not.toContain(secret);
  // The grader still works: the reference gets full marks right after.
  const after = await gradeCode(exercise, reference);
  expect(after.score).toBe(after.maxScore);
  return result;
}

/** Loads a Node built-in through any route left on the global object; throws when there is none. */
const NODE = `((name: string) => {
  const load = g.process?.getBuiltinModule?.bind(g.process) ?? g.require ?? g.module?.createRequire?.("/solution.js") ?? (g[name] ? () => g[name] : undefined);
  if (typeof load !== "function") throw new Error("no route to Node's modules");
  return load(name);
})`;
const NO_ROUTE = "blocked: no route to Node's modules";

const failingIds = (r: { tests: { id: string; status: string }[] }) =>
  r.tests.filter((t) => t.status === "fail").map((t) => t.id);

describe("hostile code is contained", () => {
  it("runs under bubblewrap on this machine", async () => {
    const result = await gradeCode(exercise, reference);
    expect(result.details).toMatchObject({ sandbox: "bwrap" });
  });

  it("finds no route to Node on the global object", async () => {
    // `node -e` would put require, module and every built-in module on the global object.
    const names = [
      "process",
      "require",
      "module",
      "exports",
      "fs",
      "child_process",
      "net",
      "vm",
      "worker_threads",
      "fetch",
      "WebAssembly",
    ];
    const result = await expectContained(
      probe(
        `seen = "types: " + [${names.map((n) => `typeof g[${JSON.stringify(n)}]`).join(", ")}, typeof g.console?._stdout, typeof g.console?.Console].join(",");`,
      ),
    );
    expect(JSON.stringify(result)).toContain(
      `types: ${Array(names.length + 2)
        .fill("undefined")
        .join(",")}`,
    );
  });

  it("cannot read /etc/passwd or a database file", async () => {
    for (const file of ["/etc/passwd", dbFile]) {
      const result = await expectContained(
        probe(`seen = ${NODE}("fs").readFileSync(${JSON.stringify(file)}, "utf8");`),
      );
      expect(JSON.stringify(result)).toContain(NO_ROUTE);
    }
  });

  it("cannot read the grader's environment", async () => {
    await expectContained(probe(`seen = JSON.stringify(${NODE}("process").env);`));
  });

  it("cannot open a connection to a loopback server", async () => {
    const source = probe(`
      const socket = ${NODE}("net").connect(${port()}, "127.0.0.1");
      seen = await new Promise((resolve) => { socket.on("connect", () => resolve("connected")); socket.on("error", (e: Error) => resolve("blocked: " + e.message)); });`);
    const result = await expectContained(source);
    expect(JSON.stringify(result)).toContain(NO_ROUTE);
    expect(connections()).toBe(0);
  });

  it("cannot spawn a process or write a file", async () => {
    const marker = join(scratch, "spawned");
    const written = join(scratch, "written");
    await expectContained(probe(`${NODE}("child_process").execSync("touch ${marker}"); seen = "spawned";`));
    await expectContained(probe(`${NODE}("fs").writeFileSync(${JSON.stringify(written)}, "x"); seen = "wrote";`));
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(written)).toBe(false);
  });

  it("cannot reach the process object, so it can neither kill the grader nor exit", async () => {
    const killed = await expectContained(
      probe(`const p = ${NODE}("process"); p.kill(p.ppid, "SIGKILL"); seen = "killed";`),
    );
    expect(JSON.stringify(killed)).toContain(NO_ROUTE);
    const exited = await expectContained(probe(`g.process.exit(0);`));
    expect(JSON.stringify(exited)).toContain("blocked: cannot read property 'exit' of undefined");
  });

  it("stops an infinite loop after an await and a promise that never settles", async () => {
    const loop = await expectContained(`
      export async function checkout(req: any, deps: any) { await deps.users.getUser(req.userId); while (true) {} }`);
    expect(loop.tests.find((t) => t.id === "no-crash")?.message).toMatch(/kept computing without answering/);
    const never = await expectContained(`export function checkout() { return new Promise(() => {}); }`);
    expect(never.tests.find((t) => t.id === "no-crash")?.message).toMatch(/can never settle/);
  });

  it("contains memory bombs on and off the heap", async () => {
    const heap = await expectContained(`
      export async function checkout() { const keep: number[][] = []; for (;;) keep.push(new Array(1e6).fill(7)); }`);
    expect(failingIds(heap)).toContain("no-crash");
    const offHeap = await expectContained(`
      export async function checkout() { const keep: Buffer[] = []; for (let i = 0; i < 64; i++) keep.push(Buffer.alloc(256 * 1024 * 1024, 1)); return { status: "error", reason: String(keep.length) }; }`);
    expect(failingIds(offHeap)).toContain("no-crash");
  });

  it("turns runaway recursion into a stack overflow the code can catch, and blames one that overflows the engine on its own execution", async () => {
    const started = await startSandbox(
      `export async function checkout(req: any) {
  if (req.userId === "recurse") { const f = (n: number): number => f(n + 1) + 1; try { f(0); } catch (e) { return { status: "error", reason: String(e) }; } }
  // QuickJS's JSON.stringify does not count its own depth: this one runs out of WebAssembly's stack.
  if (req.userId === "deep-json") { const o: any = {}; let c = o; for (let i = 0; i < 100000; i++) c = c.a = {}; return { status: "error", reason: JSON.stringify(o) }; }
  return { status: "ok", chargedCents: 1, chargeId: req.userId };
}`,
      CHECKOUT_PROFILE,
      { executionsInFlight: 4 },
    );
    if (!started.ok) throw new Error(`the sandbox did not start: ${JSON.stringify(started)}`);
    const runs = await Promise.all(
      ["recurse", "deep-json", "fine"].map((userId) =>
        started.runner.run({ userId }, () => () => ({ ok: true, value: 1 })),
      ),
    );
    await started.runner.close();
    expect(runs.map((r) => r.settlement)).toEqual([
      { kind: "returned", value: { status: "error", reason: "InternalError: stack overflow" } },
      // Blamed only once it brought down a fresh host alone three times: a crash could be the machine's.
      {
        kind: "crashed",
        detail:
          "the engine failed: RangeError: Maximum call stack size exceeded (each of 3 times it ran alone on a fresh sandbox)",
      },
      { kind: "returned", value: { status: "ok", chargedCents: 1, chargeId: "fine" } },
    ]);
    expect((await gradeCode(exercise, reference)).score).toBe(18);
  });

  it("cannot see other executions' memory: QuickJS's SharedArrayBuffer.grow exposed it, and is gone", async () => {
    // Found by a red-team: grow() lengthened the buffer over whatever memory followed it, unzeroed, so
    // one execution could read and rewrite another's objects in the shared WebAssembly instance.
    const started = await startSandbox(
      `export async function checkout(req: any) {
  if (req.userId === "attacker") {
    let view: Uint32Array;
    try {
      const buffer = new (globalThis as any).SharedArrayBuffer(0, { maxByteLength: 8 << 20 });
      buffer.grow(8 << 20);
      view = new Uint32Array(buffer);
    } catch (e) { return { status: "error", reason: String(e) }; }
    await new Promise((r) => setTimeout(r, 100));
    let hits = 0;
    for (let i = 0; i < view.length; i++) if (view[i] === 0x11111111) { view[i] = 0x22222222; hits++; }
    return { status: "error", reason: "rewrote " + hits };
  }
  const mine = new Uint32Array(1024).fill(0x11111111);
  await new Promise((r) => setTimeout(r, 300));
  return { status: "error", reason: mine.every((x) => x === 0x11111111) ? "untouched" : "tampered" };
}`,
      CHECKOUT_PROFILE,
      { executionTimeoutMs: 5000 },
    );
    if (!started.ok) throw new Error(`the sandbox did not start: ${JSON.stringify(started)}`);
    const answer = () => () => ({ ok: true as const, value: 1 });
    const attacker = started.runner.run({ userId: "attacker" }, answer);
    const victim = started.runner.run({ userId: "victim" }, answer);
    const runs = await Promise.all([attacker, victim]);
    await started.runner.close();
    expect(runs.map((r) => r.settlement)).toEqual([
      { kind: "returned", value: { status: "error", reason: "TypeError: not a function" } },
      { kind: "returned", value: { status: "error", reason: "untouched" } },
    ]);
  });

  it("refuses call arguments too large to keep, and stops a grading that sends more than it may", async () => {
    // The grader keeps every call's arguments until the grading ends: unbounded, one submission could
    // fill the server's memory (a red-team grew it by 800 MiB).
    const large = await gradeCode(
      exercise,
      `export async function checkout(req: any, deps: any) { await deps.users.getUser("x".repeat(20000)); return { status: "error", reason: "no" }; }`,
      fast,
    );
    expect(large.tests.find((t) => t.id === "no-crash")?.message).toContain(
      "TypeError: the arguments of users.getUser are larger than 16384 bytes",
    );
    const flood = await gradeCode(
      exercise,
      `export async function checkout(req: any, deps: any) {
  const big = "x".repeat(15000);
  for (let i = 0; i < 12; i++) { try { await deps.users.getUser(big); } catch {} }
  return { status: "error", reason: "no" };
}`,
      { ...fast, maxOutputBytesPerGrading: 512 * 1024 },
    );
    expect(flood.status).toBe("graded");
    expect(flood.tests.find((t) => t.id === "no-crash")?.message).toContain(
      "the code sent the grader more than 512 KiB in one grading",
    );
  });

  it("survives a flood of output and of calls, and judges a forged verdict as a response", async () => {
    const hugeResponse = await expectContained(`
      export async function checkout() { return { status: "error", reason: "x".repeat(1024 * 1024) }; }`);
    expect(hugeResponse.tests.find((t) => t.id === "no-crash")?.message).toMatch(/longer than/);
    // Straight through the runner: graded, every one of the hundred calls would be a branch to explore.
    const started = await startSandbox(
      `export async function checkout(req: any, deps: any) { for (;;) deps.users.getUser(req.userId); }`,
      CHECKOUT_PROFILE,
      fast,
    );
    if (!started.ok) throw new Error(`the sandbox did not start: ${JSON.stringify(started)}`);
    let answered = 0;
    const flood = await started.runner.run({ userId: "u" }, () => () => ({ ok: true, value: ++answered }));
    await started.runner.close();
    expect(flood.settlement).toEqual({ kind: "crashed", detail: "made more than 100 calls in one execution" });
    expect(answered).toBe(100);
    const forged = await expectContained(`
      export async function checkout() { return { status: "graded", score: 18, maxScore: 18, tests: [] }; }`);
    expect(failingIds(forged)).toContain("no-crash");
  });

  it("contains prototype pollution of Object, Array and Promise", async () => {
    const polluted = await expectContained(`
      export async function checkout() {
        (Object.prototype as any).status = "ok";
        (Array.prototype as any).push = () => 0;
        (Promise.prototype as any).then = function () { return this; };
        JSON.stringify = () => '{"status":"ok","chargedCents":9000,"chargeId":"x"}';
        return {};
      }`);
    expect(polluted.score).toBeLessThan(polluted.maxScore);
    expect(({} as Record<string, unknown>)["status"]).toBeUndefined();
  });

  it("gives code generated from strings nothing more than the code that made it", async () => {
    // The engine has eval and Function, as browsers do; what they build runs in the same engine, which
    // has no process, no require and no I/O.
    for (const body of [
      `seen = (0, eval)("globalThis.process.env.FLAGSHIP_TEST_SECRET");`,
      `seen = Function("return globalThis.process.env.FLAGSHIP_TEST_SECRET")();`,
      `seen = ({} as any).constructor.constructor("return globalThis.process.env.FLAGSHIP_TEST_SECRET")();`,
    ]) {
      const result = await expectContained(probe(body));
      expect(JSON.stringify(result)).toContain("blocked: cannot read property 'env' of undefined");
    }
  });

  it("holds in the unshare + setpriv fallback mode too", async () => {
    const options: CodeGradingOptions = { ...fast, sandboxMode: "unshare" };
    const result = await expectContained(probe(`seen = ${NODE}("fs").readFileSync("/etc/passwd", "utf8");`), options);
    expect(result.details).toMatchObject({ sandbox: "unshare" });
    const good = await gradeCode(exercise, reference, options);
    expect(good.score).toBe(good.maxScore);
  });
});
