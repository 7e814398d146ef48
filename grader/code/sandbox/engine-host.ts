/**
 * The engine host: a long-lived Node process inside the OS sandbox (see modes.ts) that runs students'
 * code in QuickJS compiled to WebAssembly. It serves one submission at a time and is then reused for
 * the next: starting Node costs most of a grading on a small machine, starting a WebAssembly instance
 * a few milliseconds.
 *
 *  - Each submission (`load`) gets a fresh WebAssembly instance on zeroed memory: nothing of an earlier
 *    submission survives in it, whatever that code did inside its engine.
 *  - Each execution (`run`) gets a QuickJS runtime and context of its own, with its own memory limit,
 *    an interrupt at its deadline, and the guest globals (guest.ts). It is disposed (or, having run
 *    out of memory, abandoned) as soon as the execution settles, hangs or runs out of time, so no
 *    execution can see or outlive another.
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
  type QuickJSDeferredPromise,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from "quickjs-emscripten-core";
import { QuickJSFFI } from "@jitl/quickjs-wasmfile-release-sync/ffi";
import { guestMain } from "./guest";

// Through `require`, so the bundler takes the CommonJS build, which loads no module at run time (the
// ES build does, and nothing can be loaded inside the sandbox).
const moduleLoader = require("@jitl/quickjs-wasmfile-release-sync/emscripten-module") as never;

/** What the loader passes in; see engine-bundle.ts. */
export interface HostStart {
  require: (id: string) => unknown;
  wasm: Uint8Array<ArrayBuffer>;
  protocolFd: number;
  inspectFd: number;
  /** What the loader read from stdin past its own line: the start of the protocol. */
  pending: string;
}

/** Limits the grader sends with each `load`. */
export interface EngineLimits {
  /** Memory of one execution's QuickJS runtime. */
  memoryBytes: number;
  /** Budget of one execution on its own simulated clock (see `Execution.clock`), never real time. */
  timeoutMs: number;
  /** Work one execution may do, in engine interrupt ticks (see `Execution.work`). */
  maxWorkTicks: number;
  /** Simulated time each downstream call takes, from the call to its answer. */
  callLatencyMs: number;
  /** Arguments of one call, as JSON; guest.ts refuses larger ones before they leave the engine. */
  maxCallArgsBytes: number;
  /**
   * A response, as JSON. A larger one fails its execution here, where it can be pinned on it: a line
   * over the protocol's cap could not be, and would cost the host.
   */
  maxResponseBytes: number;
}

/**
 * What every execution's `Date` shows when it starts: a fixed instant, so code that reads the date
 * behaves the same in every grading (2026-01-15T10:00:00Z).
 */
export const SIMULATED_EPOCH_MS = Date.UTC(2026, 0, 15, 10, 0, 0);

/**
 * How deep QuickJS lets code recurse before it throws a catchable "stack overflow" (about 1,000 plain
 * calls). The WebAssembly runs on Node's own stack (900 KiB, see modes.ts), which must not run out
 * first: QuickJS then stops at 512 KiB of its own measure, so this keeps a margin of more than two.
 */
const ENGINE_STACK_BYTES = 192 * 1024;

/**
 * 64 KiB WebAssembly pages: 16 MiB to start, 256 MiB at most for every execution in flight together.
 * Without guard regions (modes.ts) V8 reserves the maximum up front, inside the host's address-space
 * limit; a host that grew past 64 MiB retires after its submission.
 */
const INITIAL_PAGES = 256;
const MAXIMUM_PAGES = 4096;
const RETIRE_AFTER_BYTES = 64 * 1024 * 1024;
/** What QuickJS throws when an allocation fails. */
const OUT_OF_MEMORY = "InternalError: out of memory";

interface Timer {
  callback: QuickJSHandle;
  /** When it is due on the execution's own clock. */
  due: number;
  /** Its period if it repeats. */
  every: number | null;
  /** See `Execution.nextOrder`. */
  order: number;
}

/** The fields of a failed call's error that tell fault kinds apart; each read is asked of the grader. */
const ERROR_FIELDS = ["kind", "status", "retryable"];

/** A call's answer that arrived from the grader, delivered when the execution's clock reaches `due`. */
interface Arrived {
  deferred: QuickJSDeferredPromise;
  text: string;
  due: number;
  /** Ties on `due` go to what was started first: calls and timers share this order. */
  order: number;
}

interface Execution {
  exec: number;
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  nextSeq: number;
  /** Calls the grader has not answered yet, by seq, with when their answer is due. */
  pending: Map<number, { deferred: QuickJSDeferredPromise; due: number; order: number }>;
  /** Answers the grader gave, waiting for the execution's clock to reach them. */
  arrived: Arrived[];
  /** Timers by id. */
  timers: Map<number, Timer>;
  nextTimer: number;
  /** Start order of calls and timers, so that events due together happen in a fixed order. */
  nextOrder: number;
  /**
   * The execution's own simulated clock, in milliseconds since it started. It moves only from one
   * event to the next: a timer coming due, or a call's answer arriving `callLatencyMs` after the call.
   * Never real time: a verdict must not depend on how loaded the machine is.
   */
  clock: number;
  /**
   * Work done so far, counted in the engine's interrupt ticks (QuickJS asks the interrupt handler
   * once every few thousand steps of bytecode). Deterministic for a given program and input, unlike
   * the time the steps take: code that spins is stopped after the same work on an idle or a busy machine.
   */
  work: number;
  /** guest.ts's report of a call rejected with nobody to handle it; asked when the jobs run out. */
  unhandled: QuickJSHandle | undefined;
  /** A call's promise rejected since `unhandled` was last asked. */
  rejections: boolean;
  /** The engine was interrupted for doing too much work: whatever the execution does next is a timeout. */
  interrupted: boolean;
  /** It ended running out of memory (see `dispose`). */
  outOfMemory: boolean;
  over: boolean;
}

interface Loaded {
  engine: QuickJSWASMModule;
  /** guest.ts, the session factory and the student's module factory, as one array expression. */
  script: string;
  limits: EngineLimits;
}

export async function main(start: HostStart): Promise<void> {
  const fs = start.require("fs") as { writeSync(fd: number, data: string): number; readSync(fd: number, buffer: Uint8Array): number };
  const proc = globalThis.process;
  const wasmModule = await WebAssembly.compile(start.wasm);
  // One memory for the life of the host, zeroed for every submission: a memory per instance would
  // reserve its maximum each time and wait for the garbage collector to give it back.
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES });
  const baseVariant: Parameters<typeof newVariant>[0] = { type: "sync", importFFI: async () => QuickJSFFI, importModuleLoader: async () => moduleLoader };
  const variant = newVariant(baseVariant, { wasmModule, wasmMemory: async () => memory });
  const guestSource = String(guestMain);
  const answerBytes = new Uint8Array(4096);
  const decoder = new TextDecoder();

  let loaded: Loaded | null = null;
  let used = false;
  const executions = new Map<number, Execution>();

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

  /** What an error handle out of the engine says, and whether it is the interrupt at the deadline. */
  function readError(context: QuickJSContext, handle: QuickJSHandle): { text: string; interrupted: boolean } {
    let dumped: unknown;
    try {
      dumped = context.dump(handle);
    } catch {
      dumped = "an unprintable value";
    } finally {
      handle.dispose();
    }
    const record = typeof dumped === "object" && dumped !== null ? (dumped as { name?: unknown; message?: unknown }) : null;
    const text = record ? `${String(record.name)}: ${String(record.message)}` : String(dumped);
    return { text: text.slice(0, 500), interrupted: text.includes("interrupted") };
  }

  /** Frees everything the host holds in an execution's engine, then the engine itself. */
  function dispose(execution: Execution): void {
    if (executions.get(execution.exec) !== execution) return;
    executions.delete(execution.exec);
    execution.over = true;
    for (const { deferred } of execution.pending.values()) deferred.dispose();
    execution.pending.clear();
    for (const { deferred } of execution.arrived) deferred.dispose();
    execution.arrived = [];
    for (const timer of execution.timers.values()) timer.callback.dispose();
    execution.unhandled?.dispose();
    execution.timers.clear();
    // QuickJS cannot free a runtime that ran out of memory (it aborts, and takes the instance with it):
    // such a runtime is left where it is until the next submission replaces the instance.
    if (execution.outOfMemory) return;
    try {
      execution.context.dispose();
      execution.runtime.dispose();
    } catch (error) {
      // The engine could not free what it held: its state is unknown, so this host is done for. The
      // grader sees the crash, runs whatever was in flight again elsewhere, and starts a fresh host.
      quit(execution.exec, `the engine could not free execution ${execution.exec}: ${describe(error)}`);
    }
  }

  function endWith(execution: Execution, message: Record<string, unknown>): void {
    if (execution.over) return;
    execution.over = true;
    if (typeof message["error"] === "string" && message["error"].includes(OUT_OF_MEMORY)) execution.outOfMemory = true;
    const ended = execution.interrupted ? { t: "timeout", exec: execution.exec, cause: "work", clockMs: execution.clock } : message;
    send({ ...ended, work: execution.work });
    // Not from inside a call the engine is making into us: once it has returned.
    setImmediate(() => dispose(execution));
  }

  /** A failure out of the engine: the deadline's interrupt is a timeout, anything else a crash of this execution. */
  function failed(execution: Execution, error: QuickJSHandle, what: string): void {
    const { text, interrupted } = readError(execution.context, error);
    if (interrupted) endWith(execution, { t: "timeout", exec: execution.exec, cause: "work", clockMs: execution.clock });
    else endWith(execution, { t: "crashed", exec: execution.exec, error: `${what}: ${text}` });
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

  /**
   * Runs the promise jobs the last event queued. Then, once every call the execution made has been
   * answered by the grader, moves its clock to the next event (a call's answer or a timer, whichever
   * is due first) and delivers it. A call to the grader is answered at once in real time, so this is
   * all a real wait would have been, and the order of events never depends on the machine's speed.
   * Nothing left at all: "stuck".
   */
  function settle(execution: Execution): void {
    const budget = loaded?.limits.timeoutMs ?? 0;
    for (;;) {
      if (execution.over) return;
      const jobs = execution.runtime.executePendingJobs();
      if (jobs.error) return failed(execution, jobs.error, "a promise job failed");
      if (execution.over) return;
      if (execution.unhandled && execution.rejections) {
        execution.rejections = false;
        const report = execution.context.callFunction(execution.unhandled, execution.context.undefined);
        if (report.error) return failed(execution, report.error, "the execution failed");
        const text = execution.context.getString(report.value);
        report.value.dispose();
        // As a real server would: the process is gone, whatever the handler was about to answer.
        if (text) return endWith(execution, { t: "crashed", exec: execution.exec, error: text.slice(0, 1000) });
      }
      if (execution.pending.size > 0 || execution.runtime.hasPendingJob()) return;
      const next = nextEvent(execution);
      if (!next) return endWith(execution, { t: "stuck", exec: execution.exec });
      // The next thing it waits for comes after its budget: it would answer too late, if ever.
      if (next.due > budget) return endWith(execution, { t: "timeout", exec: execution.exec, cause: "clock", clockMs: next.due });
      execution.clock = Math.max(execution.clock, next.due);
      if (next.kind === "answer") {
        execution.arrived.splice(execution.arrived.indexOf(next.answer), 1);
        const handle = execution.context.newString(next.answer.text);
        next.answer.deferred.resolve(handle);
        handle.dispose();
        next.answer.deferred.dispose();
        continue;
      }
      const { id, timer } = next;
      if (timer.every === null) execution.timers.delete(id);
      else {
        timer.due += timer.every;
        timer.order = execution.nextOrder++;
      }
      const result = execution.context.callFunction(timer.callback, execution.context.undefined);
      if (timer.every === null) timer.callback.dispose();
      // A throw from a timer's callback would crash a real server: it fails this execution.
      if (result.error) return failed(execution, result.error, "uncaught exception");
      result.value.dispose();
    }
  }

  type NextEvent = { kind: "answer"; due: number; order: number; answer: Arrived } | { kind: "timer"; due: number; order: number; id: number; timer: Timer };

  /** The event due first on the execution's clock; of two due together, the one started first. */
  function nextEvent(execution: Execution): NextEvent | undefined {
    let next: NextEvent | undefined;
    const earlier = (due: number, order: number) => !next || due < next.due || (due === next.due && order < next.order);
    for (const answer of execution.arrived) if (earlier(answer.due, answer.order)) next = { kind: "answer", due: answer.due, order: answer.order, answer };
    for (const [id, timer] of execution.timers) if (earlier(timer.due, timer.order)) next = { kind: "timer", due: timer.due, order: timer.order, id, timer };
    return next;
  }

  function hostObject(execution: Execution): QuickJSHandle {
    const { context } = execution;
    const host = context.newObject();
    const define = (name: string, fn: (...args: QuickJSHandle[]) => QuickJSHandle | undefined): void => {
      const handle = context.newFunction(name, fn);
      context.setProp(host, name, handle);
      handle.dispose();
    };
    define("call", (service, method, argsJson) => {
      if (execution.over) return undefined;
      const seq = execution.nextSeq++;
      let args: unknown = [];
      try {
        args = JSON.parse(context.getString(argsJson ?? context.undefined));
      } catch {
        args = [];
      }
      const deferred = context.newPromise();
      const latency = loaded?.limits.callLatencyMs ?? 0;
      execution.pending.set(seq, { deferred, due: execution.clock + latency, order: execution.nextOrder++ });
      send({ t: "call", exec: execution.exec, seq, service: context.getString(service ?? context.undefined).slice(0, 40), method: context.getString(method ?? context.undefined).slice(0, 40), args });
      return deferred.handle;
    });
    define("inspect", (seqHandle, fieldHandle) => {
      const seq = context.getNumber(seqHandle ?? context.undefined) | 0;
      const field = context.getString(fieldHandle ?? context.undefined);
      if (!ERROR_FIELDS.includes(field)) return context.undefined;
      return context.newString(askField(execution.exec, seq, field));
    });
    define("setTimer", (callback, ms, repeat) => {
      if (execution.over || !callback) return context.newNumber(0);
      const id = ++execution.nextTimer;
      const delay = Math.max(context.getNumber(ms ?? context.undefined) || 0, 0);
      const every = context.dump(repeat ?? context.undefined) === true ? Math.max(delay, 1) : null;
      execution.timers.set(id, { callback: callback.dup(), due: execution.clock + delay, every, order: execution.nextOrder++ });
      return context.newNumber(id);
    });
    define("clearTimer", (idHandle) => {
      const id = context.getNumber(idHandle ?? context.undefined);
      const timer = execution.timers.get(id);
      if (!timer) return undefined;
      execution.timers.delete(id);
      timer.callback.dispose();
      return undefined;
    });
    define("now", () => context.newNumber(SIMULATED_EPOCH_MS + execution.clock));
    define("rejected", () => {
      execution.rejections = true;
      return undefined;
    });
    define("done", (ok, text) => {
      if (execution.over) return undefined;
      const succeeded = context.dump(ok ?? context.undefined) === true;
      const payload = context.getString(text ?? context.undefined);
      if (!succeeded) endWith(execution, { t: "done", exec: execution.exec, ok: false, error: payload.slice(0, 2000) });
      else if (payload.length > (loaded?.limits.maxResponseBytes ?? 0)) {
        endWith(execution, { t: "done", exec: execution.exec, ok: false, error: `the response is ${payload.length} bytes long, longer than the ${loaded?.limits.maxResponseBytes ?? 0} a response may be` });
      } else {
        let value: unknown;
        try {
          value = JSON.parse(payload);
        } catch {
          return void endWith(execution, { t: "done", exec: execution.exec, ok: false, error: "the response could not be serialized" });
        }
        endWith(execution, { t: "done", exec: execution.exec, ok: true, value });
      }
      return undefined;
    });
    return host;
  }

  /**
   * Blocks until the grader answers with one field of a failed call's error: it records the read
   * before it tells (see protocol.ts), field by field, so the reduction knows exactly what was read.
   */
  function askField(exec: number, seq: number, field: string): string {
    flush();
    fs.writeSync(start.protocolFd, `{"t":"inspect","exec":${exec | 0},"seq":${seq | 0},"field":${JSON.stringify(field)}}\n`);
    let text = "";
    while (text.indexOf("\n") < 0) {
      let read = 0;
      try {
        read = fs.readSync(start.inspectFd, answerBytes);
      } catch (error) {
        if ((error as { code?: unknown }).code === "EAGAIN") continue;
        throw error;
      }
      if (read === 0) throw new Error("the grader closed the inspection channel");
      text += decoder.decode(answerBytes.subarray(0, read));
    }
    return text.slice(0, text.indexOf("\n"));
  }

  function run(exec: number, req: unknown): void {
    if (!loaded) return send({ t: "crash", exec, error: "no module loaded" });
    if (executions.has(exec)) return send({ t: "crash", exec, error: `execution ${exec} is already running` });
    const { engine, limits, script } = loaded;
    const runtime = engine.newRuntime();
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(ENGINE_STACK_BYTES);
    const context = runtime.newContext();
    const execution: Execution = {
      exec,
      runtime,
      context,
      nextSeq: 0,
      pending: new Map(),
      arrived: [],
      timers: new Map(),
      nextTimer: 0,
      nextOrder: 0,
      clock: 0,
      work: 0,
      unhandled: undefined,
      rejections: false,
      interrupted: false,
      outOfMemory: false,
      over: false,
    };
    // An async function interrupted for its work rejects its promise with the interrupt, which code
    // could then catch or report as its own error: once interrupted, the execution has timed out.
    runtime.setInterruptHandler(() => {
      execution.work++;
      if (execution.work <= limits.maxWorkTicks) return false;
      execution.interrupted = true;
      return true;
    });
    executions.set(exec, execution);
    const handles: QuickJSHandle[] = [];
    inEngine(() => {
      try {
        // One evaluation for the three functions: each costs a fixed price on top of parsing.
        const evaluated = context.evalCode(script, "solution.js");
        if (evaluated.error) return failed(execution, evaluated.error, "the execution could not start");
        const parts = evaluated.value;
        handles.push(parts);
        const guest = context.getProp(parts, 0);
        const session = context.getProp(parts, 1);
        const factory = context.getProp(parts, 2);
        handles.push(guest, session, factory);
        const host = hostObject(execution);
        handles.push(host);
        const reqJson = context.newString(JSON.stringify(req) ?? "null");
        handles.push(reqJson);
        const maxArgsBytes = context.newNumber(limits.maxCallArgsBytes);
        handles.push(maxArgsBytes);
        const result = context.callFunction(guest, context.undefined, host, session, reqJson, factory, maxArgsBytes);
        if (result.error) failed(execution, result.error, "the execution could not start");
        else execution.unhandled = result.value;
      } finally {
        for (const handle of handles) handle.dispose();
      }
      settle(execution);
    });
  }

  function reply(message: { exec: number; seq: number; ok: boolean; value?: unknown; error?: { message?: unknown } }): void {
    const execution = executions.get(message.exec);
    const waiting = execution?.pending.get(message.seq);
    if (!execution || !waiting || execution.over) return;
    execution.pending.delete(message.seq);
    const text = message.ok
      ? JSON.stringify({ ok: true, value: message.value ?? null })
      : JSON.stringify({ ok: false, seq: message.seq, message: String(message.error?.message ?? "") });
    // Held until the execution's clock reaches it: see `settle`.
    execution.arrived.push({ deferred: waiting.deferred, text, due: waiting.due, order: waiting.order });
    inEngine(() => settle(execution));
  }

  function unload(): void {
    for (const execution of [...executions.values()]) dispose(execution);
    loaded = null;
  }

  async function load(message: { code: string; session: string; limits: EngineLimits }): Promise<void> {
    unload();
    // Fresh memory for a fresh instance: what the last submission left in it is gone. A memory never
    // used is zero already, and filling it would fault in every page of it (60 ms here).
    if (used) new Uint8Array(memory.buffer).fill(0);
    used = true;
    const engine = await newQuickJSWASMModuleFromVariant(variant);
    // Checked once here, so a module the engine cannot parse is reported before any execution.
    const context = engine.newContext();
    try {
      const factory = context.evalCode(`(${message.code})`, "solution.js");
      if (factory.error) {
        const { text } = readError(context, factory.error);
        return send({ t: "crash", exec: null, error: `loading the module failed: ${text}` });
      }
      const isFunction = context.typeof(factory.value) === "function";
      factory.value.dispose();
      if (!isFunction) return send({ t: "crash", exec: null, error: "the module has no factory" });
    } finally {
      context.dispose();
    }
    const script = `[(${guestSource}),(${message.session}),(${message.code})]`;
    loaded = { engine, script, limits: message.limits };
    send({ t: "ready" });
  }

  type Incoming = { t?: unknown; exec?: unknown; seq?: unknown; ok?: unknown; value?: unknown; error?: { message?: unknown }; code?: unknown; session?: unknown; limits?: EngineLimits; req?: unknown };
  function handle(message: Incoming): Promise<void> | void {
    if (message.t === "load" && typeof message.code === "string" && typeof message.session === "string" && message.limits) {
      return load({ code: message.code, session: message.session, limits: message.limits });
    }
    if (message.t === "unload") {
      unload();
      // A WebAssembly memory never shrinks: a host that a memory-hungry submission grew retires rather
      // than keep that much for the rest of its life in the pool.
      if (memory.buffer.byteLength > RETIRE_AFTER_BYTES) {
        return quit(null, `retiring: the engine's memory grew to ${memory.buffer.byteLength >> 20} MiB`, 0);
      }
      // After the executions' own lines and any crash freeing them caused: the host is clean.
      return send({ t: "unloaded" });
    }
    if (message.t === "run" && typeof message.exec === "number") return run(message.exec, message.req);
    if (message.t === "reply" && typeof message.exec === "number" && typeof message.seq === "number") {
      return reply({ exec: message.exec, seq: message.seq, ok: message.ok === true, value: message.value, error: message.error });
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
      queue = queue.then(() => handle(JSON.parse(line) as Incoming)).catch((error: unknown) => quit(null, `engine host: ${describe(error)}`));
    }
  };
  receive(start.pending);
  proc.stdin.on("data", receive);
  proc.stdin.resume();
  proc.stdin.on("end", () => proc.exit(0));
}
