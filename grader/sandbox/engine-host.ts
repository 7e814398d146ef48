/**
 * The engine host: a long-lived Node process inside the OS sandbox (see modes.ts) that runs students'
 * code in QuickJS compiled to WebAssembly. It serves one submission at a time and is then reused for
 * the next: starting Node costs most of a grading on a small machine, starting a WebAssembly instance
 * a few milliseconds.
 *
 *  - Each submission (`load`) gets fresh WebAssembly instances on zeroed memory: nothing of an earlier
 *    submission survives in them, whatever that code did inside its engine. In each, one QuickJS
 *    runtime and context is set up with the guest globals (guest.ts), the session and the student's
 *    module factory, with a memory limit and a work budget; then a copy of its memory is taken.
 *  - Each execution (`run`) starts from that copy (engine-snapshot.ts): the engine's memory is put
 *    back as it was, so no execution can see what another did, and nothing is parsed again. An
 *    instance runs one execution at a time; a host keeps up to three, so that while one execution
 *    waits for the grader's answer to a call, another runs.
 *  - Student code reaches nothing of Node: the engine has no I/O, no modules and no way to load any;
 *    its only way out is the host object guest.ts receives, whose calls become protocol lines.
 *
 * The host itself runs only this file and the QuickJS library; it is not trusted for all that. The
 * grader judges only from its own record of the calls it answered (protocol.ts), and kills the host
 * at once if it breaks the protocol or misses a deadline.
 *
 * Bundled with its libraries by engine-bundle.ts and started by a small loader program; it gets
 * Node's `require` from there, and the WebAssembly bytes over stdin (it can read no files).
 */
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from "quickjs-emscripten-core";
import { QuickJSFFI } from "@jitl/quickjs-wasmfile-release-sync/ffi";
import { guestMain } from "./guest";
import { readMemoryLayout, restoreSnapshot, takeSnapshot, type EngineHeap, type Snapshot } from "./engine-snapshot";
import { executionEvents, newExecution, readError, type EngineLimits, type Execution } from "./engine-execution";

export { SIMULATED_EPOCH_MS, type EngineLimits } from "./engine-execution";

// Through `require`, so the bundler takes the CommonJS build, which loads no module at run time (the
// ES build does, and nothing can be loaded inside the sandbox).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the reason is the comment above
const moduleLoader = require("@jitl/quickjs-wasmfile-release-sync/emscripten-module") as never;

/** What the loader passes in; see engine-bundle.ts. */
export interface HostStart {
  require: (id: string) => unknown;
  wasm: Uint8Array<ArrayBuffer>;
  protocolFd: number;
  /** What the loader read from stdin past its own line: the start of the protocol. */
  pending: string;
}

/**
 * How deep QuickJS lets code recurse before it throws a catchable "stack overflow" (about 1,000 plain
 * calls). The WebAssembly runs on Node's own stack (900 KiB, see modes.ts), which must not run out
 * first: QuickJS then stops at 512 KiB of its own measure, so this keeps a margin of more than two.
 */
const ENGINE_STACK_BYTES = 192 * 1024;

/**
 * 64 KiB WebAssembly pages, per instance: 16 MiB to start (the binary's own minimum; 5 MiB of it is
 * the C stack), 256 MiB at most: a memory bomb fragments the heap, and at 128 MiB one stopped by a
 * 32 MB engine limit could run the instance out of memory first. Without guard regions (modes.ts) V8
 * reserves the maximum up front, 768 MiB for the three instances, inside the host's address-space
 * limit; a host with an instance grown past 64 MiB retires after its submission.
 */
const INITIAL_PAGES = 256;
const MAXIMUM_PAGES = 4096;
const RETIRE_AFTER_BYTES = 64 * 1024 * 1024;

/**
 * A loaded submission: one QuickJS runtime and context with guest.ts, the session factory, the
 * student's module factory and the host object already made, and a copy of the engine's memory as it
 * was then. Every execution starts from that copy (engine-snapshot.ts), so none can see or outlive another,
 * and none pays for parsing the code again.
 */
interface Loaded {
  engine: QuickJSWASMModule;
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  /** What guest.ts's set-up returned: starts one execution (see `StartExecution`). */
  startExecution: QuickJSHandle;
  session: QuickJSHandle;
  factory: QuickJSHandle;
  /** The engine's memory right after the set-up, which every execution starts from. */
  snapshot: Snapshot;
}

/**
 * One WebAssembly instance of the engine, with a memory of its own. An instance runs one execution at
 * a time (they share its runtime); a host keeps a few, so that while one execution waits for the
 * grader's answer to a call, another runs.
 */
interface Instance {
  memory: WebAssembly.Memory;
  /** The Emscripten module of its current instance, for its allocator (see engine-snapshot.ts). */
  heap: EngineHeap | undefined;
  variant: QuickJSSyncVariant;
  /** Whether any submission used its memory, which must then be zeroed before the next. */
  used: boolean;
  loaded: Loaded | null;
  /** The execution running in it, or that last ran there until the next one starts. */
  active: Execution | null;
}

/** What the grader's `load` sent: every instance is set up with it. */
interface Submission {
  code: string;
  session: string;
  limits: EngineLimits;
}

/** Instances a host runs executions in side by side; more only add memory once calls overlap. */
const ENGINE_INSTANCES = 3;

export async function main(start: HostStart): Promise<void> {
  const fs = start.require("fs") as { writeSync(fd: number, data: string): number };
  const proc = globalThis.process;
  const wasmModule = await WebAssembly.compile(start.wasm);
  const layout = readMemoryLayout(start.wasm);
  const makeModule = moduleLoader as (options: unknown) => Promise<EngineHeap>;
  const guestSource = String(guestMain);
  const instances: Instance[] = [];

  /**
   * An instance slot, for the life of the host: one memory each, zeroed for every submission (a
   * memory per WebAssembly instance would reserve its maximum each time and wait for the garbage
   * collector to give it back).
   */
  function newInstance(): Instance {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES });
    const keepingHeap = (options: unknown): Promise<EngineHeap> =>
      makeModule(options).then((module) => {
        instance.heap = module;
        return module;
      });
    const baseVariant: QuickJSSyncVariant = {
      type: "sync",
      importFFI: async () => QuickJSFFI,
      importModuleLoader: async () => keepingHeap as never,
    };
    const instance: Instance = {
      memory,
      heap: undefined,
      variant: newVariant(baseVariant, { wasmModule, wasmMemory: async () => memory }),
      used: false,
      loaded: null,
      active: null,
    };
    return instance;
  }

  let submission: Submission | null = null;
  const executions = new Map<number, Execution>();
  /** Runs waiting for an instance to be free. */
  const waitingRuns: { exec: number; req: unknown }[] = [];
  /** An extra instance is being set up (see `dispatch`). */
  let settingUp = false;

  let outbox = "";
  function write(line: string): void {
    if (outbox === "") setImmediate(flush);
    outbox += line;
    if (outbox.length > 65536) flush();
  }
  function flush(): void {
    const text = outbox;
    outbox = "";
    if (text) fs.writeSync(start.protocolFd, text);
  }
  const send = (message: Record<string, unknown>): void => write(JSON.stringify(message) + "\n");
  const { settle, failed, hostObject } = executionEvents({
    send,
    limits: () => submission?.limits,
    ended: (execution) => {
      forget(execution);
      dispatch();
    },
  });

  /**
   * The host stops for good: its last line says why (pinned on an execution when it is that one's),
   * and the grader, seeing it exit, never leases it again.
   */
  function quit(exec: number | null, why: string, code = 70): never {
    send({ t: "crash", exec, error: why });
    flush();
    return proc.exit(code);
  }

  function describe(error: unknown): string {
    if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
    return String(error).slice(0, 500);
  }

  /**
   * Forgets an execution. Nothing in the engine is freed one handle at a time: the next execution
   * starts by restoring the engine's memory, which drops everything this one made at once, a runtime
   * that ran out of memory included.
   */
  function forget(execution: Execution): void {
    if (executions.get(execution.exec) !== execution) return;
    executions.delete(execution.exec);
    execution.over = true;
    execution.pending.clear();
    execution.arrived = [];
    execution.timers.clear();
    execution.unhandled = undefined;
  }

  /**
   * Runs `body`, which enters the engine for one execution. An exception out of the engine itself (as
   * opposed to a JavaScript error it returns), such as WebAssembly running out of native stack, leaves
   * the instance in no known state, and this host is done for. It is not pinned on that execution: the
   * executions in flight share the instance, and any of them may have broken it. The grader runs them
   * again alone and blames one that fails alone.
   */
  function inEngine(body: () => void): void {
    try {
      body();
    } catch (error) {
      quit(null, `the engine failed: ${describe(error)}`);
    }
  }

  function run(exec: number, req: unknown): void {
    if (!submission) return send({ t: "crash", exec, error: "no module loaded" });
    if (executions.has(exec) || waitingRuns.some((waiting) => waiting.exec === exec))
      return send({ t: "crash", exec, error: `execution ${exec} is already running` });
    waitingRuns.push({ exec, req });
    dispatch();
  }

  /**
   * Starts waiting runs on free instances. When every instance set up is busy and the host has fewer
   * than it may, one more is set up: in the message queue, so no `load` or `unload` overtakes it.
   */
  function dispatch(): void {
    for (const instance of instances) {
      if (waitingRuns.length === 0) return;
      if (!instance.loaded || (instance.active && !instance.active.over)) continue;
      const next = waitingRuns.shift();
      if (next) begin(instance, instance.loaded, next.exec, next.req);
    }
    // An instance the last submission used but this one has not yet, or a new one.
    const unused = instances.find((instance) => !instance.loaded);
    if (waitingRuns.length === 0 || settingUp || !submission || (!unused && instances.length >= ENGINE_INSTANCES))
      return;
    settingUp = true;
    const wanted = submission;
    queue = queue
      .then(async () => {
        if (submission !== wanted) return;
        const instance = unused ?? newInstance();
        if (!unused) instances.push(instance);
        await setUp(instance, wanted);
      })
      .finally(() => {
        settingUp = false;
        dispatch();
      });
  }

  function begin(instance: Instance, current: Loaded, exec: number, req: unknown): void {
    restoreSnapshot(instance.memory, current.snapshot);
    const { runtime, context } = current;
    const execution = newExecution(exec, runtime, context);
    instance.active = execution;
    executions.set(exec, execution);
    inEngine(() => {
      const reqJson = context.newString(JSON.stringify(req) ?? "null");
      try {
        const result = context.callFunction(
          current.startExecution,
          context.undefined,
          current.session,
          reqJson,
          current.factory,
        );
        if (result.error) failed(execution, result.error, "the execution could not start");
        else execution.unhandled = result.value;
      } finally {
        reqJson.dispose();
      }
      settle(execution);
    });
  }

  function reply(message: {
    exec: number;
    seq: number;
    ok: boolean;
    value?: unknown;
    error?: Record<string, unknown>;
  }): void {
    const execution = executions.get(message.exec);
    const waiting = execution?.pending.get(message.seq);
    if (!execution || !waiting || execution.over) return;
    execution.pending.delete(message.seq);
    if (!message.ok) {
      const error = message.error ?? {};
      execution.errors.set(message.seq, {
        kind: error["kind"],
        status: error["status"],
        retryable: error["retryable"],
      });
    }
    const why = message.error?.message;
    const text = message.ok
      ? JSON.stringify({ ok: true, value: message.value ?? null })
      : JSON.stringify({ ok: false, seq: message.seq, message: typeof why === "string" ? why : "" });
    // Held until the execution's clock reaches it: see `settle`.
    execution.arrived.push({ deferred: waiting.deferred, text, due: waiting.due, order: waiting.order });
    inEngine(() => settle(execution));
  }

  function unload(): void {
    for (const execution of [...executions.values()]) forget(execution);
    waitingRuns.length = 0;
    submission = null;
    for (const instance of instances) {
      instance.active = null;
      instance.loaded = null;
    }
  }

  async function load(message: Submission): Promise<void> {
    unload();
    submission = message;
    const first = instances[0] ?? newInstance();
    if (instances.length === 0) instances.push(first);
    const refused = await setUp(first, message);
    send(refused ? { t: "crash", exec: null, error: refused } : { t: "ready" });
  }

  /**
   * Sets the submission up in an instance: a fresh WebAssembly instance on zeroed memory (nothing an
   * earlier submission left survives), one runtime and context, guest.ts's globals, the session and
   * module factories, and the snapshot every execution there starts from. Says why the module was
   * refused, if it was.
   */
  async function setUp(
    instance: Instance,
    { code, session: sessionText, limits }: Submission,
  ): Promise<string | undefined> {
    // A memory never used is zero already, and filling it would fault in every page of it (60 ms here).
    if (instance.used) new Uint8Array(instance.memory.buffer).fill(0);
    instance.used = true;
    const engine = await newQuickJSWASMModuleFromVariant(instance.variant);
    const runtime = engine.newRuntime();
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(ENGINE_STACK_BYTES);
    // Counts the work of the execution running. Nothing but our own set-up runs without one; code
    // still running after its execution ended (past its `done`) is stopped at once.
    runtime.setInterruptHandler(() => {
      const execution = instance.active;
      if (!execution) return false;
      if (execution.over) return true;
      execution.work++;
      if (execution.work <= limits.maxWorkTicks) return false;
      // An async function interrupted for its work rejects its promise with the interrupt, which code
      // could then catch or report as its own error: once interrupted, the execution has timed out.
      execution.interrupted = true;
      return true;
    });
    const context = runtime.newContext();
    // One evaluation for the three functions: each costs a fixed price on top of parsing. A module
    // the engine cannot parse is reported here, before any execution.
    const evaluated = context.evalCode(`[(${guestSource}),(${sessionText}),(${code})]`, "solution.js");
    if (evaluated.error) return `loading the module failed: ${readError(context, evaluated.error).text}`;
    const [guest, session, factory] = [0, 1, 2].map((index) => context.getProp(evaluated.value, index)) as [
      QuickJSHandle,
      QuickJSHandle,
      QuickJSHandle,
    ];
    evaluated.value.dispose();
    if (context.typeof(factory) !== "function") return "the module has no factory";
    const host = hostObject(context, () => instance.active);
    const maxArgsBytes = context.newNumber(limits.maxCallArgsBytes);
    const started = context.callFunction(guest, context.undefined, host, maxArgsBytes);
    for (const handle of [guest, host, maxArgsBytes]) handle.dispose();
    if (started.error)
      quit(null, `engine host: setting up the engine failed: ${readError(context, started.error).text}`);
    const snapshot = takeSnapshot(instance.memory, instance.heap, layout);
    instance.loaded = { engine, runtime, context, startExecution: started.value, session, factory, snapshot };
    return undefined;
  }

  type Incoming = {
    t?: unknown;
    exec?: unknown;
    seq?: unknown;
    ok?: unknown;
    value?: unknown;
    error?: Record<string, unknown>;
    code?: unknown;
    session?: unknown;
    limits?: EngineLimits;
    req?: unknown;
  };
  function handle(message: Incoming): Promise<void> | void {
    if (
      message.t === "load" &&
      typeof message.code === "string" &&
      typeof message.session === "string" &&
      message.limits
    ) {
      return load({ code: message.code, session: message.session, limits: message.limits });
    }
    if (message.t === "unload") {
      unload();
      // A WebAssembly memory never shrinks: a host that a memory-hungry submission grew retires rather
      // than keep that much for the rest of its life in the pool.
      const grown = instances.find((instance) => instance.memory.buffer.byteLength > RETIRE_AFTER_BYTES);
      if (grown)
        return quit(null, `retiring: the engine's memory grew to ${grown.memory.buffer.byteLength >> 20} MiB`, 0);
      // After the executions' own lines and any crash freeing them caused: the host is clean.
      return send({ t: "unloaded" });
    }
    if (message.t === "run" && typeof message.exec === "number") return run(message.exec, message.req);
    if (message.t === "reply" && typeof message.exec === "number" && typeof message.seq === "number") {
      return reply({
        exec: message.exec,
        seq: message.seq,
        ok: message.ok === true,
        value: message.value,
        error: message.error,
      });
    }
  }

  // Messages are handled one after another; a `load` (which waits for the instance) holds up the rest.
  let queue: Promise<void> = Promise.resolve();
  let buffered = "";
  const receive = (chunk: string): void => {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
      queue = queue
        .then(() => handle(JSON.parse(line) as Incoming))
        .catch((error: unknown) => quit(null, `engine host: ${describe(error)}`));
    }
  };
  receive(start.pending);
  proc.stdin.on("data", receive);
  proc.stdin.resume();
  proc.stdin.on("end", () => proc.exit(0));
}
