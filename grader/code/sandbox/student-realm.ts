/**
 * The global object the student's code sees, and what keeps executions from sharing anything: only
 * the language's own globals and a few web APIs stay; `console` prints nothing; timers hand out
 * opaque handles; `Math.random` is seeded per execution; then everything is frozen (lockdown.ts).
 *
 * `node -e` puts `process`, `require`, `module` and a getter for every built-in module on the global
 * object, Node's console keeps stdout in `_stdout`, a Timeout converts to a process-wide counter and
 * leaks its prototype as `this` in its callback, and web APIs such as TextEncoder are getters that
 * would redefine themselves on first use (impossible once frozen). Each of those is handled here.
 *
 * Shipped to the child as the text of the function, like the harness: no imports, nothing from outside.
 */
import type { HarnessNode } from "./harness";

export interface StudentRealm {
  /** Strips and freezes the global object; call once, after `node -e` has returned, before the module loads. */
  seal(lockdown: (extraRoots: unknown[]) => void, extraRoots: unknown[]): void;
  /** Runs one execution's code (and everything it schedules) with its own Math.random state. */
  enter(seed: number, body: () => void): void;
}

export function studentRealm(node: HarnessNode): StudentRealm {
  "use strict";
  const KEPT_GLOBALS = [
    // ECMAScript
    "Object", "Function", "Array", "Number", "parseFloat", "parseInt", "Infinity", "NaN", "undefined", "Boolean", "String", "Symbol",
    "Date", "Promise", "RegExp", "Error", "AggregateError", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError",
    "URIError", "globalThis", "JSON", "Math", "Intl", "ArrayBuffer", "Uint8Array", "Int8Array", "Uint16Array", "Int16Array",
    "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "Uint8ClampedArray", "BigUint64Array", "BigInt64Array", "DataView",
    "Map", "BigInt", "Set", "WeakMap", "WeakSet", "Proxy", "Reflect", "FinalizationRegistry", "WeakRef", "decodeURI",
    "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape", "eval", "isFinite", "isNaN", "SharedArrayBuffer", "Atomics",
    // Timers (wrapped below) and web APIs a service handler might use
    "console", "global", "setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate",
    "queueMicrotask", "structuredClone", "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "AbortController", "AbortSignal",
    "Event", "EventTarget", "DOMException", "atob", "btoa",
  ];
  const define = Object.defineProperty;
  const describe = Object.getOwnPropertyDescriptor;
  const ownKeys = Reflect.ownKeys;
  const apply = Reflect.apply;
  const createObject = Object.create;
  const freeze = Object.freeze;
  const imul = Math.imul;
  const { AsyncLocalStorage } = node.require("async_hooks") as {
    AsyncLocalStorage: new <T>() => { run(store: T, body: () => void): void; getStore(): T | undefined };
  };
  const randomStates = new AsyncLocalStorage<{ state: number }>();
  /** Only reached by code running outside any execution (nothing the student writes runs there). */
  const outside = { state: 1 };

  /** The generator the dark-launch exercise has always used, one state per execution. */
  function seededRandom(): number {
    const s = randomStates.getStore() ?? outside;
    s.state = (s.state + 0x6d2b79f5) >>> 0;
    let t = s.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** setTimeout and friends returning frozen empty handles, calling back with no `this`. */
  function opaqueTimers(): Record<string, unknown> {
    const handles = new WeakMap<object, unknown>();
    const wrapSet = (real: (callback: () => void, ms?: number) => unknown) =>
      function (callback: unknown, ms?: number, ...args: unknown[]): object {
        if (typeof callback !== "function") throw new TypeError("the callback must be a function");
        const id = real(() => apply(callback, undefined, args), ms);
        const handle = freeze(createObject(null) as object);
        handles.set(handle, id);
        return handle;
      };
    const wrapClear = (real: (id: unknown) => void) =>
      function (handle: unknown): void {
        if ((typeof handle === "object" && handle !== null) && handles.has(handle)) real(handles.get(handle));
      };
    return {
      setTimeout: wrapSet(setTimeout as never),
      setInterval: wrapSet(setInterval as never),
      setImmediate: wrapSet(setImmediate as never),
      clearTimeout: wrapClear(clearTimeout as never),
      clearInterval: wrapClear(clearInterval as never),
      clearImmediate: wrapClear(clearImmediate as never),
    };
  }

  const quietConsole = (): object => {
    const quiet = () => undefined;
    const silent = createObject(null) as Record<string, unknown>;
    for (const name of ["log", "info", "warn", "error", "debug", "trace", "dir", "dirxml", "table", "assert", "count", "countReset", "group", "groupCollapsed", "groupEnd", "time", "timeEnd", "timeLog"]) {
      silent[name] = quiet;
    }
    return silent;
  };

  return {
    seal(lockdown, extraRoots) {
      const scope = globalThis as unknown as Record<PropertyKey, unknown>;
      const keep = createObject(null) as Record<string, true>;
      for (const name of KEPT_GLOBALS) keep[name] = true;
      const isKept = (key: PropertyKey): boolean => (typeof key === "string" && keep[key] === true) || key === Symbol.toStringTag;
      for (const key of ownKeys(scope)) if (!isKept(key)) delete scope[key];
      // Lazy getters become plain values now: frozen, they could not replace themselves later.
      for (const name of KEPT_GLOBALS) {
        const desc = describe(scope, name);
        if (desc && !("value" in desc) && desc.get) define(scope, name, { value: apply(desc.get, scope, []), writable: true, enumerable: desc.enumerable === true, configurable: true });
      }
      const replaced: Record<string, unknown> = { ...opaqueTimers(), console: quietConsole() };
      for (const name of ownKeys(replaced)) define(scope, name, { value: replaced[name as string], writable: true, enumerable: false, configurable: true });
      define(Math, "random", { value: seededRandom, writable: true, enumerable: false, configurable: true });
      const leftOver = ownKeys(scope).filter((key) => !isKept(key));
      if (leftOver.length > 0) throw new Error("the harness could not remove these globals: " + leftOver.map(String).join(", "));
      lockdown(extraRoots);
    },
    enter(seed, body) {
      randomStates.run({ state: seed >>> 0 }, body);
    },
  };
}
