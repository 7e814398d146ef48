/**
 * What the engine host does with the grader's messages: loads a submission into its instances, starts
 * each run on a free instance (setting up one more while every instance is busy, up to three), hands
 * calls' answers to their executions, and forgets everything on `unload`.
 */
import { restoreSnapshot, type MemoryLayout } from "./engine-snapshot";
import { executionEvents, newExecution, type Execution, type ExecutionEvents } from "./engine-execution";
import {
  ENGINE_INSTANCES,
  grownInstance,
  newInstance,
  prepareInstance,
  setUpInstance,
  type Instance,
  type Loaded,
  type Submission,
} from "./engine-instance";
import type { CallReply, HostMessage } from "./host-io";

export interface SchedulerContext {
  wasmModule: WebAssembly.Module;
  layout: MemoryLayout | undefined;
  /** guest.ts's `guestMain`, as text. */
  guestSource: string;
  send: (message: Record<string, unknown>) => void;
  /** Stops the host for good, with a last line that says why. */
  quit: (exec: number | null, why: string, code?: number) => never;
  /** Runs `task` in the host's message queue, after the messages already in it. */
  enqueue: (task: () => Promise<void> | void) => void;
}

export class HostScheduler {
  private readonly instances: Instance[] = [];
  private submission: Submission | null = null;
  private readonly executions = new Map<number, Execution>();
  /** Runs waiting for an instance to be free. */
  private readonly waitingRuns: { exec: number; req: unknown }[] = [];
  /** An extra instance is being set up (see `dispatch`). */
  private settingUp = false;
  private readonly events: ExecutionEvents;

  constructor(private readonly host: SchedulerContext) {
    this.events = executionEvents({
      send: host.send,
      limits: () => this.submission?.limits,
      ended: (execution) => {
        this.forget(execution);
        this.dispatch();
      },
    });
    this.instances.push(newInstance(host.wasmModule));
    this.prepareWhileIdle();
  }

  /**
   * Prepares the first instance for the next submission (see `prepareInstance`) while the host waits
   * for it: at start, and after each `unload`. In the message queue, so a `load` that comes meanwhile
   * waits for it and then finds the instance ready: on a cold start that is a third of setting a
   * submission up, and on a warm one it includes zeroing the memory the last submission used. The
   * other instances are set up when the executions need them, as before: preparing them too would
   * hold up a `load` that comes at once.
   */
  private prepareWhileIdle(): void {
    const [first] = this.instances;
    if (!first) return;
    this.host.enqueue(async () => {
      if (this.submission || first.prepared) return;
      await prepareInstance(first, this.host.guestSource);
    });
  }

  handle(message: HostMessage): Promise<void> | void {
    switch (message.t) {
      case "load":
        return this.load(message);
      case "run":
        return this.run(message.exec, message.req);
      case "reply":
        return this.reply(message);
      case "unload": {
        this.unload();
        // A WebAssembly memory never shrinks: a host that a memory-hungry submission grew retires
        // rather than keep that much for the rest of its life in the pool.
        const grown = grownInstance(this.instances);
        if (grown) {
          const mib = grown.memory.buffer.byteLength >> 20;
          return this.host.quit(null, `retiring: the engine's memory grew to ${mib} MiB`, 0);
        }
        // After the executions' own lines and any crash freeing them caused: the host is clean.
        this.host.send({ t: "unloaded" });
        return this.prepareWhileIdle();
      }
    }
  }

  private async load(message: Submission): Promise<void> {
    this.unload();
    this.submission = message;
    const first = this.instances[0] ?? newInstance(this.host.wasmModule);
    if (this.instances.length === 0) this.instances.push(first);
    const refused = await this.setUp(first, message);
    this.host.send(refused ? { t: "crash", exec: null, error: refused } : { t: "ready" });
  }

  private setUp(instance: Instance, wanted: Submission): Promise<string | undefined> {
    const { guestSource, layout, quit } = this.host;
    return setUpInstance(instance, wanted, {
      guestSource,
      layout,
      hostObject: this.events.hostObject,
      fail: (why) => quit(null, why),
    });
  }

  private unload(): void {
    for (const execution of [...this.executions.values()]) this.forget(execution);
    this.waitingRuns.length = 0;
    this.submission = null;
    for (const instance of this.instances) {
      instance.active = null;
      instance.loaded = null;
    }
  }

  private run(exec: number, req: unknown): void {
    const { send } = this.host;
    if (!this.submission) return send({ t: "crash", exec, error: "no module loaded" });
    if (this.executions.has(exec) || this.waitingRuns.some((waiting) => waiting.exec === exec))
      return send({ t: "crash", exec, error: `execution ${exec} is already running` });
    this.waitingRuns.push({ exec, req });
    this.dispatch();
  }

  /**
   * Starts waiting runs on free instances. When every instance set up is busy and the host has fewer
   * than it may, one more is set up: in the message queue, so no `load` or `unload` overtakes it.
   */
  private dispatch(): void {
    for (const instance of this.instances) {
      if (this.waitingRuns.length === 0) return;
      if (!instance.loaded || (instance.active && !instance.active.over)) continue;
      const next = this.waitingRuns.shift();
      if (next) this.begin(instance, instance.loaded, next.exec, next.req);
    }
    // An instance the last submission used but this one has not yet, or a new one.
    const unused = this.instances.find((instance) => !instance.loaded);
    const full = !unused && this.instances.length >= ENGINE_INSTANCES;
    if (this.waitingRuns.length === 0 || this.settingUp || !this.submission || full) return;
    this.settingUp = true;
    const wanted = this.submission;
    this.host.enqueue(async () => {
      try {
        if (this.submission !== wanted) return;
        const instance = unused ?? newInstance(this.host.wasmModule);
        if (!unused) this.instances.push(instance);
        await this.setUp(instance, wanted);
      } finally {
        this.settingUp = false;
        this.dispatch();
      }
    });
  }

  private begin(instance: Instance, current: Loaded, exec: number, req: unknown): void {
    restoreSnapshot(instance.memory, current.snapshot);
    const { runtime, context } = current;
    const execution = newExecution(exec, runtime, context);
    instance.active = execution;
    this.executions.set(exec, execution);
    this.inEngine(() => {
      const reqJson = context.newString(JSON.stringify(req) ?? "null");
      try {
        const { startExecution, session, factory } = current;
        const result = context.callFunction(startExecution, context.undefined, session, reqJson, factory);
        if (result.error) this.events.failed(execution, result.error, "the execution could not start");
        else execution.unhandled = result.value;
      } finally {
        reqJson.dispose();
      }
      this.events.settle(execution);
    });
  }

  private reply(message: CallReply): void {
    const execution = this.executions.get(message.exec);
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
    this.inEngine(() => this.events.settle(execution));
  }

  /**
   * Forgets an execution. Nothing in the engine is freed one handle at a time: the next execution
   * starts by restoring the engine's memory, which drops everything this one made at once, a runtime
   * that ran out of memory included.
   */
  private forget(execution: Execution): void {
    if (this.executions.get(execution.exec) !== execution) return;
    this.executions.delete(execution.exec);
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
  private inEngine(body: () => void): void {
    try {
      body();
    } catch (error) {
      this.host.quit(null, `the engine failed: ${describeError(error)}`);
    }
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
}
