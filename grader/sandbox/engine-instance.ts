/**
 * One WebAssembly instance of the engine inside the engine host (engine-host.ts), and setting a
 * submission up in it. Each has a memory of its own, kept for the life of the host and zeroed for
 * every submission, so nothing an earlier submission did survives into the next.
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
import { takeSnapshot, type EngineHeap, type MemoryLayout, type Snapshot } from "./engine-snapshot";
import { readError, type EngineLimits, type Execution } from "./engine-execution";

// Through `require`, so the bundler takes the CommonJS build, which loads no module at run time (the
// ES build does, and nothing can be loaded inside the sandbox).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the reason is the comment above
const moduleLoader = require("@jitl/quickjs-wasmfile-release-sync/emscripten-module") as never;
const makeModule = moduleLoader as (options: unknown) => Promise<EngineHeap>;

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
export const RETIRE_AFTER_BYTES = 64 * 1024 * 1024;

/** Instances a host runs executions in side by side; more only add memory once calls overlap. */
export const ENGINE_INSTANCES = 3;

/** What the grader's `load` sent: every instance is set up with it. */
export interface Submission {
  code: string;
  session: string;
  limits: EngineLimits;
}

/**
 * A loaded submission: one QuickJS runtime and context with guest.ts, the session factory, the
 * student's module factory and the host object already made, and a copy of the engine's memory as it
 * was then. Every execution starts from that copy (engine-snapshot.ts), so none can see or outlive
 * another, and none pays for parsing the code again.
 */
export interface Loaded {
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
 * An instance slot. An instance runs one execution at a time (they share its runtime); a host keeps a
 * few, so that while one execution waits for the grader's answer to a call, another runs.
 */
export interface Instance {
  memory: WebAssembly.Memory;
  /** The Emscripten module of its current instance, for its allocator (see engine-snapshot.ts). */
  heap: EngineHeap | undefined;
  variant: QuickJSSyncVariant;
  /** Whether any submission used its memory, which must then be zeroed before the next. */
  used: boolean;
  /** A fresh engine with guest.ts evaluated and no submission yet (see `prepareInstance`). */
  prepared: Prepared | null;
  loaded: Loaded | null;
  /** The execution running in it, or that last ran there until the next one starts. */
  active: Execution | null;
}

/**
 * A slot for the life of the host: one memory each, zeroed for every submission (a memory per
 * WebAssembly instance would reserve its maximum each time and wait for the garbage collector to give
 * it back).
 */
export function newInstance(wasmModule: WebAssembly.Module): Instance {
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
    prepared: null,
    loaded: null,
    active: null,
  };
  return instance;
}

/**
 * An instance made ready for whichever submission comes next: a fresh WebAssembly instance on zeroed
 * memory, a runtime and a context, and guest.ts's main function evaluated. None of it depends on a
 * submission, so the host does it while it waits for one (host-scheduler.ts); what a `load` then
 * still has to do is the submission's own part.
 */
export interface Prepared {
  engine: QuickJSWASMModule;
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  /** guest.ts's `guestMain`. */
  guest: QuickJSHandle;
}

/**
 * Prepares an instance (see `Prepared`). Its memory is zeroed first if a submission used it, so
 * nothing an earlier submission left survives into the next.
 */
export async function prepareInstance(instance: Instance, guestSource: string): Promise<Prepared> {
  // A memory never used is zero already, and filling it would fault in every page of it (60 ms here).
  if (instance.used) new Uint8Array(instance.memory.buffer).fill(0);
  instance.used = true;
  instance.loaded = null;
  const engine = await newQuickJSWASMModuleFromVariant(instance.variant);
  const runtime = engine.newRuntime();
  runtime.setMaxStackSize(ENGINE_STACK_BYTES);
  const context = runtime.newContext();
  const evaluated = context.evalCode(`(${guestSource})`, "guest.js");
  // Our own code: it cannot fail but by a bug here.
  if (evaluated.error) throw new Error(`guest.ts did not evaluate: ${readError(context, evaluated.error).text}`);
  instance.prepared = { engine, runtime, context, guest: evaluated.value };
  return instance.prepared;
}

/** What setting up needs from the host around it. */
export interface SetUpContext {
  /** guest.ts's `guestMain`, as text. */
  guestSource: string;
  layout: MemoryLayout | undefined;
  /** The object guest.ts reaches the host through (engine-execution.ts). */
  hostObject: (context: QuickJSContext, running: () => Execution | null) => QuickJSHandle;
  /** The host cannot go on: our own set-up failed, which no student code can cause. */
  fail: (why: string) => never;
}

/**
 * Sets the submission up in an instance, prepared now unless it was while the host waited: the
 * submission's limits, the session and module factories, guest.ts's set-up, and the snapshot every
 * execution there starts from. Says why the module was refused, if it was.
 */
export async function setUpInstance(
  instance: Instance,
  { code, session: sessionText, limits }: Submission,
  { guestSource, layout, hostObject, fail }: SetUpContext,
): Promise<string | undefined> {
  const { engine, runtime, context, guest } = instance.prepared ?? (await prepareInstance(instance, guestSource));
  instance.prepared = null;
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setInterruptHandler(() => countWork(instance, limits));
  // One evaluation for both functions: each costs a fixed price on top of parsing. A module the
  // engine cannot parse is reported here, before any execution.
  const evaluated = context.evalCode(`[(${sessionText}),(${code})]`, "solution.js");
  if (evaluated.error) return `loading the module failed: ${readError(context, evaluated.error).text}`;
  const [session, factory] = [0, 1].map((index) => context.getProp(evaluated.value, index)) as [
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
    return fail(`engine host: setting up the engine failed: ${readError(context, started.error).text}`);
  const snapshot = takeSnapshot(instance.memory, instance.heap, layout);
  instance.loaded = { engine, runtime, context, startExecution: started.value, session, factory, snapshot };
  return undefined;
}

/**
 * The engine's interrupt handler: counts the work of the execution running, and says whether to stop
 * it. Nothing but our own set-up runs without one; code still running after its execution ended (past
 * its `done`) is stopped at once.
 */
function countWork(instance: Instance, limits: EngineLimits): boolean {
  const execution = instance.active;
  if (!execution) return false;
  if (execution.over) return true;
  execution.work++;
  if (execution.work <= limits.maxWorkTicks) return false;
  // An async function interrupted for its work rejects its promise with the interrupt, which code
  // could then catch or report as its own error: once interrupted, the execution has timed out.
  execution.interrupted = true;
  return true;
}

/** An instance whose memory grew past what a host keeps for the rest of its life, if any. */
export function grownInstance(instances: readonly Instance[]): Instance | undefined {
  return instances.find((instance) => instance.memory.buffer.byteLength > RETIRE_AFTER_BYTES);
}
