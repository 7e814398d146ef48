/**
 * What runs first in each execution's own QuickJS context, before the student's module: the globals
 * a service handler expects (a quiet console, timers, a seeded Math.random), ServiceError, and the
 * session that builds the exercise's module and invokes the student's code.
 *
 * It is evaluated inside the QuickJS engine as the text of `guestMain`, so, like the session factories,
 * it must be self-contained: no imports, nothing from outside its body. It is no more trusted than the
 * student's code beside it, and needs not be: each execution has a context (and a runtime) of its own,
 * thrown away when the execution ends, and the only way out is the `host` object, whose every call the
 * engine host checks and the grader records.
 */
import type { SessionFactory } from "./session";

/** What the engine host hands each execution; see engine-host.ts. */
export interface GuestHost {
  /**
   * Tells the grader of a call; resolves with the reply as JSON text: `{"ok":true,"value":…}` or
   * `{"ok":false,"seq":n,"message":…}`. With `answeredHere` (a reply made in the engine, see
   * `SessionEnv.call`'s `answerHere`) the grader only records the call, and that reply arrives as the
   * grader's would: `callLatencyMs` later on the execution's clock, in order with other calls and timers.
   */
  call(service: string, method: string, argsJson: string, answeredHere?: string): Promise<string>;
  /** Asks the grader for one field (kind, status or retryable) of a failed call's error; it records the read. JSON text. */
  inspect(seq: number, field: string): string;
  /** Runs `callback` when the execution's own clock reaches `ms` from now (see engine-host.ts). */
  setTimer(callback: () => void, ms: number, repeat: boolean): number;
  clearTimer(id: number): void;
  /** The execution's own clock, as milliseconds since the epoch. */
  now(): number;
  /** Says a call's promise rejected, so the host asks whether anybody handled it (see `unhandled`). */
  rejected(): void;
  /** Ends the execution: the response as JSON text, or why it threw. Only the first call counts. */
  done(ok: boolean, text: string): void;
}

export type ModuleFactory = (
  require: (id: string) => unknown,
  module: { exports: Record<string, unknown> },
  exports: Record<string, unknown>,
) => void;

/** Starts one execution; returns what the host calls whenever the engine has run every job it had. */
export type StartExecution = (makeSession: SessionFactory, reqJson: string, factory: ModuleFactory) => () => string;

/**
 * Sets up the globals, once per submission: the engine host keeps a copy of the engine's memory as it
 * is afterwards and starts every execution from that copy. Returns what starts an execution, which in
 * turn returns what reports the first call whose rejection nobody handled, described, or "".
 */
export function guestMain(host: GuestHost, maxArgsBytes: number): StartExecution {
  "use strict";
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const defineProperty = Object.defineProperty;
  const scope = globalThis as unknown as Record<string, unknown>;

  function describe(error: unknown): string {
    try {
      if (error instanceof Error) return String(error.name) + ": " + String(error.message).slice(0, 500);
      return String(error).slice(0, 500);
    } catch {
      return "an unprintable value";
    }
  }

  // QuickJS's SharedArrayBuffer.prototype.grow lengthens the buffer over whatever memory follows it,
  // unzeroed: a view onto other executions' objects. Nothing a handler does needs shared memory.
  const sharedBuffer = scope["SharedArrayBuffer"] as { prototype: Record<string, unknown> } | undefined;
  if (sharedBuffer) delete sharedBuffer.prototype["grow"];
  delete scope["SharedArrayBuffer"];
  delete scope["Atomics"];

  // A console that prints nothing: nobody reads what a handler prints, and printing costs nothing.
  const quiet = (): undefined => undefined;
  const silent: Record<string, unknown> = {};
  for (const name of [
    "log",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "dir",
    "table",
    "assert",
    "count",
    "group",
    "groupEnd",
    "time",
    "timeEnd",
  ])
    silent[name] = quiet;
  scope["console"] = silent;

  // Date reads the execution's own clock, which moves with its timers: code that backs off and then
  // checks how long it has waited sees the time it waited.
  const RealDate = Date;
  const now = host.now;
  const VirtualDate = function (this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length > 0 ? args : [now()], new.target);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(VirtualDate, RealDate);
  defineProperty(VirtualDate, "prototype", { value: RealDate.prototype });
  defineProperty(VirtualDate, "now", { value: () => now(), writable: true, configurable: true });
  defineProperty(RealDate.prototype, "constructor", { value: VirtualDate, writable: true, configurable: true });
  scope["Date"] = VirtualDate;

  // Timers on the execution's own clock; ids are plain numbers, as in a browser.
  const setTimer = host.setTimer;
  const clearTimer = host.clearTimer;
  const timerSetter = (repeat: boolean) =>
    function (callback: unknown, ms?: unknown, ...args: unknown[]): number {
      if (typeof callback !== "function") throw new TypeError("the callback must be a function");
      const delay = Number(ms);
      return setTimer(() => callback(...args), delay > 0 ? delay : 0, repeat);
    };
  const timerClearer = function (id: unknown): void {
    if (typeof id === "number") clearTimer(id);
  };
  scope["setTimeout"] = timerSetter(false);
  scope["setInterval"] = timerSetter(true);
  scope["setImmediate"] = (callback: unknown, ...args: unknown[]) => timerSetter(false)(callback, 0, ...args);
  scope["clearTimeout"] = timerClearer;
  scope["clearInterval"] = timerClearer;
  scope["clearImmediate"] = timerClearer;
  if (typeof scope["queueMicrotask"] !== "function") {
    scope["queueMicrotask"] = (callback: () => void) => void Promise.resolve().then(callback);
  }
  // V8's hook, which Node code calls in Error subclasses: here it gives the target a stack that starts,
  // as V8's does, with the error's name and message.
  const errorCtor = Error as unknown as Record<string, unknown>;
  if (typeof errorCtor["captureStackTrace"] !== "function") {
    errorCtor["captureStackTrace"] = function captureStackTrace(target: unknown): void {
      if (typeof target !== "object" || target === null) throw new TypeError("captureStackTrace needs an object");
      const header = target instanceof Error ? String(target.name) + ": " + String(target.message) : "Error";
      defineProperty(target, "stack", {
        value: header + "\n" + String(new Error().stack ?? ""),
        writable: true,
        configurable: true,
      });
    };
  }
  if (typeof scope["structuredClone"] !== "function") scope["structuredClone"] = structuredCloneOf;

  /** The part of the HTML structured clone a handler uses: plain data, Date, Map, Set, cycles. */
  function structuredCloneOf(value: unknown): unknown {
    const seen = new Map<object, unknown>();
    const clone = (v: unknown): unknown => {
      if (typeof v === "function" || typeof v === "symbol") throw new TypeError("the value cannot be cloned");
      if (typeof v !== "object" || v === null) return v;
      const known = seen.get(v);
      if (known !== undefined) return known;
      if (v instanceof Date) return new Date(v.getTime());
      if (v instanceof Map) {
        const out = new Map<unknown, unknown>();
        seen.set(v, out);
        for (const [k, item] of v) out.set(clone(k), clone(item));
        return out;
      }
      if (v instanceof Set) {
        const out = new Set<unknown>();
        seen.set(v, out);
        for (const item of v) out.add(clone(item));
        return out;
      }
      const out: Record<string, unknown> | unknown[] = Array.isArray(v) ? [] : {};
      seen.set(v, out);
      for (const key of Object.keys(v))
        (out as Record<string, unknown>)[key] = clone((v as Record<string, unknown>)[key]);
      return out;
    };
    return clone(value);
  }

  class ServiceError extends Error {
    kind = "";
    status = 0;
    retryable = false;
  }
  defineProperty(ServiceError.prototype, "name", { value: "ServiceError", writable: true, configurable: true });

  /**
   * Kind, status and retryable are not in the reply the engine sees: the host hands each in when it is
   * first read, and reports that read to the grader (see protocol.ts).
   * Field by field, because kinds that agree on every field a handler read behave alike for it.
   */
  const SHAPE_FIELDS = ["kind", "status", "retryable"];
  const inspect = host.inspect;
  function makeError(seq: number, message: string): ServiceError {
    const error = new ServiceError(message);
    const known: Record<string, unknown> = {};
    for (const key of SHAPE_FIELDS) {
      defineProperty(error, key, {
        enumerable: true,
        configurable: true,
        get() {
          if (!(key in known)) known[key] = parse(inspect(seq, key));
          return known[key];
        },
      });
    }
    return error;
  }

  /**
   * Node ends a process when a promise rejects and nobody handles it, so a handler that fires a call
   * and forgets it takes a real server down when that call fails. Calls return promises that note
   * when a handler is attached, to them or to what is derived from them with then, catch or finally;
   * one that rejects with none by the time the engine has nothing left to run fails the execution.
   */
  const handled = new WeakSet<object>();
  const rejected: { promise: object; error: unknown }[] = [];
  const nativeThen = Promise.prototype.then;
  const tellRejected = host.rejected;
  const watch = (promise: Promise<unknown>): void => {
    nativeThen.call(promise, undefined, (error: unknown) => {
      rejected.push({ promise, error });
      tellRejected();
    });
  };
  class CallPromise<T> extends Promise<T> {
    override then<A = T, B = never>(
      onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
      onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    ): Promise<A | B> {
      handled.add(this);
      const derived = super.then(onFulfilled, onRejected);
      watch(derived);
      return derived;
    }
  }
  function unhandled(): string {
    for (const { promise, error } of rejected.splice(0))
      if (!handled.has(promise)) return "unhandled rejection: " + describe(error);
    return "";
  }

  const hostCall = host.call;
  /** The reply `answerHere` makes, as JSON text, or undefined when it leaves the call to the grader. */
  function answeredHere(argsJson: string, answerHere: (args: unknown[]) => { value: unknown } | undefined) {
    try {
      const local = answerHere(parse(argsJson) as unknown[]);
      return local === undefined ? undefined : stringify({ ok: true, value: local.value });
    } catch {
      return undefined;
    }
  }
  function call(
    service: string,
    method: string,
    args: unknown[],
    answerHere?: (args: unknown[]) => { value: unknown } | undefined,
  ): Promise<unknown> {
    let argsJson: string;
    try {
      argsJson = stringify(args.slice(0, 10)) ?? "[]";
    } catch {
      argsJson = "[]";
    }
    // The grader keeps every call's arguments until the grading ends, and refuses large ones.
    if (argsJson.length > maxArgsBytes) {
      return Promise.reject(
        new TypeError("the arguments of " + service + "." + method + " are larger than " + maxArgsBytes + " bytes"),
      );
    }
    const here = answerHere ? answeredHere(argsJson, answerHere) : undefined;
    const reply = hostCall(String(service), String(method), argsJson, here);
    const promise: Promise<unknown> = new CallPromise((resolve, reject) => {
      nativeThen.call(reply, (text: string) => {
        const answer = parse(text) as { ok: boolean; value?: unknown; seq?: number; message?: string };
        if (answer.ok) resolve(answer.value);
        else reject(makeError(Number(answer.seq), String(answer.message)));
      });
    });
    watch(promise);
    return promise;
  }

  const done = host.done;
  function finish(ok: boolean, value: unknown): void {
    if (!ok) return done(false, describe(value));
    let text: string | undefined;
    try {
      text = stringify(value);
    } catch {
      return done(false, "the response could not be serialized");
    }
    done(true, text === undefined ? "null" : text);
  }

  return function start(makeSession: SessionFactory, reqJson: string, factory: ModuleFactory): () => string {
    try {
      const session = makeSession({ req: parse(reqJson), call, ServiceError });
      // The generator the dark-launch exercise has always used, seeded per execution, so code that draws
      // random numbers grades the same way every time.
      let state = (typeof session.seed === "number" ? session.seed : 1) >>> 0;
      const imul = Math.imul;
      defineProperty(Math, "random", {
        value: function random(): number {
          state = (state + 0x6d2b79f5) >>> 0;
          let t = state;
          t = imul(t ^ (t >>> 15), t | 1);
          t ^= t + imul(t ^ (t >>> 7), t | 61);
          return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        },
        writable: true,
        configurable: true,
      });
      const requireFor = (id: string): unknown => {
        if (id === session.moduleName) return session.provided;
        throw new Error("only " + session.moduleName + " can be imported");
      };
      const module: { exports: Record<string, unknown> } = { exports: {} };
      factory(requireFor, module, module.exports);
      Promise.resolve()
        .then(() => session.invoke(module.exports))
        .then(
          (value) => finish(true, value),
          (error) => finish(false, error),
        );
    } catch (error) {
      finish(false, error);
    }
    return unhandled;
  };
}
