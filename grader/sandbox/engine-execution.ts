/**
 * One execution's life inside the engine host (engine-host.ts): its simulated clock and the events on
 * it (calls' answers, timers), its work budget, the end it reports, and the host object through which
 * guest.ts reaches out of the engine. Knows nothing of pipes or instances: the host passes in where
 * lines go, the loaded submission's limits, and what to do once an execution has ended.
 */
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core";

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

interface Timer {
  callback: QuickJSHandle;
  /** When it is due on the execution's own clock. */
  due: number;
  /** Its period if it repeats. */
  every: number | null;
  /** See `Execution.nextOrder`. */
  order: number;
}

/** The fields of a failed call's error that tell fault kinds apart; the first read of each is reported. */
const ERROR_FIELDS = ["kind", "status", "retryable"];

/** A call's answer that arrived from the grader, delivered when the execution's clock reaches `due`. */
interface Arrived {
  deferred: QuickJSDeferredPromise;
  text: string;
  due: number;
  /** Ties on `due` go to what was started first: calls and timers share this order. */
  order: number;
}

export interface Execution {
  exec: number;
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  nextSeq: number;
  /** Calls the grader has not answered yet, by seq, with when their answer is due. */
  pending: Map<number, { deferred: QuickJSDeferredPromise; due: number; order: number }>;
  /** Answers the grader gave, waiting for the execution's clock to reach them. */
  arrived: Arrived[];
  /**
   * What tells each failed call's error apart (kind, status, retryable), by seq: kept here, outside
   * the engine, and handed in one field at a time, each first read reported (see protocol.ts).
   */
  errors: Map<number, Record<string, unknown>>;
  /** "seq:field" of every error field already reported as read. */
  reads: Set<string>;
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
  over: boolean;
}

/** A fresh execution on the instance's loaded runtime and context. */
export function newExecution(exec: number, runtime: QuickJSRuntime, context: QuickJSContext): Execution {
  return {
    exec,
    runtime,
    context,
    nextSeq: 0,
    pending: new Map(),
    arrived: [],
    errors: new Map(),
    reads: new Set(),
    timers: new Map(),
    nextTimer: 0,
    nextOrder: 0,
    clock: 0,
    work: 0,
    unhandled: undefined,
    rejections: false,
    interrupted: false,
    over: false,
  };
}

/** What an error handle out of the engine says, and whether it is the interrupt at the deadline. */
export function readError(context: QuickJSContext, handle: QuickJSHandle): { text: string; interrupted: boolean } {
  let dumped: unknown;
  try {
    dumped = context.dump(handle);
  } catch {
    dumped = "an unprintable value";
  } finally {
    handle.dispose();
  }
  const record =
    typeof dumped === "object" && dumped !== null ? (dumped as { name?: unknown; message?: unknown }) : null;
  const text = record ? `${String(record.name)}: ${String(record.message)}` : String(dumped);
  return { text: text.slice(0, 500), interrupted: text.includes("interrupted") };
}

/** What the execution machinery needs of the host around it. */
export interface ExecutionHost {
  /** Queues one protocol line to the grader. */
  send(message: Record<string, unknown>): void;
  /** The loaded submission's limits (none between submissions). */
  limits(): EngineLimits | undefined;
  /** An execution has ended and the engine has returned: forget it and start the next run. */
  ended(execution: Execution): void;
}

/** Plain functions (not methods), taken out of the object by the engine host. */
export interface ExecutionEvents {
  /** Runs what the execution's last event queued, then moves it on to its next event. */
  settle: (execution: Execution) => void;
  /** Ends it with a failure out of the engine. */
  failed: (execution: Execution, error: QuickJSHandle, what: string) => void;
  /**
   * The object guest.ts reaches the host through, made once per instance: each function acts for the
   * execution `running` returns when it is called.
   */
  hostObject: (context: QuickJSContext, running: () => Execution | null) => QuickJSHandle;
}

export function executionEvents(host: ExecutionHost): ExecutionEvents {
  function endWith(execution: Execution, message: Record<string, unknown>): void {
    if (execution.over) return;
    execution.over = true;
    const ended = execution.interrupted
      ? { t: "timeout", exec: execution.exec, cause: "work", clockMs: execution.clock }
      : message;
    host.send({ ...ended, work: execution.work });
    // Not from inside a call the engine is making into us: once it has returned.
    setImmediate(() => host.ended(execution));
  }

  /** A failure out of the engine: the deadline's interrupt is a timeout, anything else a crash of this execution. */
  function failed(execution: Execution, error: QuickJSHandle, what: string): void {
    const { text, interrupted } = readError(execution.context, error);
    if (interrupted)
      endWith(execution, { t: "timeout", exec: execution.exec, cause: "work", clockMs: execution.clock });
    else endWith(execution, { t: "crashed", exec: execution.exec, error: `${what}: ${text}` });
  }

  /**
   * Runs the promise jobs the last event queued. Then, once every call the execution made has been
   * answered by the grader, moves its clock to the next event (a call's answer or a timer, whichever
   * is due first) and delivers it. A call to the grader is answered at once in real time, so this is
   * all a real wait would have been, and the order of events never depends on the machine's speed.
   * Nothing left at all: "stuck".
   */
  function settle(execution: Execution): void {
    const budget = host.limits()?.timeoutMs ?? 0;
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
      if (next.due > budget)
        return endWith(execution, { t: "timeout", exec: execution.exec, cause: "clock", clockMs: next.due });
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

  type NextEvent =
    | { kind: "answer"; due: number; order: number; answer: Arrived }
    | { kind: "timer"; due: number; order: number; id: number; timer: Timer };

  /** The event due first on the execution's clock; of two due together, the one started first. */
  function nextEvent(execution: Execution): NextEvent | undefined {
    let next: NextEvent | undefined;
    const earlier = (due: number, order: number) => !next || due < next.due || (due === next.due && order < next.order);
    for (const answer of execution.arrived)
      if (earlier(answer.due, answer.order)) next = { kind: "answer", due: answer.due, order: answer.order, answer };
    for (const [id, timer] of execution.timers)
      if (earlier(timer.due, timer.order)) next = { kind: "timer", due: timer.due, order: timer.order, id, timer };
    return next;
  }

  /**
   * The object guest.ts reaches the host through, made once per submission: each function acts for
   * the execution running when it is called.
   */
  function hostObject(context: QuickJSContext, running: () => Execution | null): QuickJSHandle {
    const object = context.newObject();
    const define = (
      name: string,
      fn: (execution: Execution, ...args: QuickJSHandle[]) => QuickJSHandle | undefined,
    ): void => {
      const handle = context.newFunction(name, (...args) => {
        const execution = running();
        return execution ? fn(execution, ...args) : undefined;
      });
      context.setProp(object, name, handle);
      handle.dispose();
    };
    define("call", (execution, service, method, argsJson, answeredHere) => {
      if (execution.over) return undefined;
      const seq = execution.nextSeq++;
      let args: unknown;
      try {
        args = JSON.parse(context.getString(argsJson ?? context.undefined));
      } catch {
        args = [];
      }
      const deferred = context.newPromise();
      const due = execution.clock + (host.limits()?.callLatencyMs ?? 0);
      const order = execution.nextOrder++;
      // A reply made in the engine goes straight onto the execution's clock, as if the grader had
      // answered at once; the grader still gets the call, to record, and sends nothing back.
      const answered = answeredHere && context.typeof(answeredHere) === "string";
      if (answered) execution.arrived.push({ deferred, text: context.getString(answeredHere), due, order });
      else execution.pending.set(seq, { deferred, due, order });
      host.send({
        t: "call",
        exec: execution.exec,
        seq,
        service: context.getString(service ?? context.undefined).slice(0, 40),
        method: context.getString(method ?? context.undefined).slice(0, 40),
        args,
        ...(answered ? { answered: true } : {}),
      });
      return deferred.handle;
    });
    define("inspect", (execution, seqHandle, fieldHandle) => {
      const seq = context.getNumber(seqHandle ?? context.undefined) | 0;
      const field = context.getString(fieldHandle ?? context.undefined);
      const error = execution.errors.get(seq);
      if (!error || !ERROR_FIELDS.includes(field)) return context.undefined;
      const key = `${seq}:${field}`;
      if (!execution.reads.has(key)) {
        execution.reads.add(key);
        // Queued before whatever the execution sends next, its end included: the grader has the read
        // on record before it learns anything that could depend on it.
        host.send({ t: "read", exec: execution.exec, seq, field });
      }
      return context.newString(JSON.stringify(error[field] ?? null));
    });
    define("setTimer", (execution, callback, ms, repeat) => {
      if (execution.over || !callback) return context.newNumber(0);
      const id = ++execution.nextTimer;
      const delay = Math.max(context.getNumber(ms ?? context.undefined) || 0, 0);
      const every = context.dump(repeat ?? context.undefined) === true ? Math.max(delay, 1) : null;
      execution.timers.set(id, {
        callback: callback.dup(),
        due: execution.clock + delay,
        every,
        order: execution.nextOrder++,
      });
      return context.newNumber(id);
    });
    define("clearTimer", (execution, idHandle) => {
      const id = context.getNumber(idHandle ?? context.undefined);
      const timer = execution.timers.get(id);
      if (!timer) return undefined;
      execution.timers.delete(id);
      timer.callback.dispose();
      return undefined;
    });
    define("now", (execution) => context.newNumber(SIMULATED_EPOCH_MS + execution.clock));
    define("rejected", (execution) => {
      execution.rejections = true;
      return undefined;
    });
    define("done", (execution, ok, text) => {
      if (execution.over) return undefined;
      const succeeded = context.dump(ok ?? context.undefined) === true;
      const payload = context.getString(text ?? context.undefined);
      if (!succeeded) endWith(execution, { t: "done", exec: execution.exec, ok: false, error: payload.slice(0, 2000) });
      else if (payload.length > (host.limits()?.maxResponseBytes ?? 0)) {
        endWith(execution, {
          t: "done",
          exec: execution.exec,
          ok: false,
          error: `the response is ${payload.length} bytes long, longer than the ${host.limits()?.maxResponseBytes ?? 0} a response may be`,
        });
      } else {
        let value: unknown;
        try {
          value = JSON.parse(payload);
        } catch {
          return void endWith(execution, {
            t: "done",
            exec: execution.exec,
            ok: false,
            error: "the response could not be serialized",
          });
        }
        endWith(execution, { t: "done", exec: execution.exec, ok: true, value });
      }
      return undefined;
    });
    return object;
  }

  return { settle, failed, hostObject };
}
