/**
 * Freezes everything the student's code shares between executions: the global object, every
 * built-in reachable from it (prototypes, constructors, the hidden iterator and async intrinsics) and
 * whatever the harness hands in (its ServiceError class). Module-level state is fresh per execution;
 * after this, nothing else is left to carry what one execution learned into the next. The reduction
 * relies on that (a handler that counted executions on `globalThis` could behave one way in the
 * reduced search and another in the full one), and it also keeps student code from reshaping the
 * built-ins the harness calls after it runs.
 *
 * Shipped to the child as the text of the function, like the harness: no imports, nothing from outside.
 */
export function lockdown(extraRoots: unknown[]): void {
  "use strict";
  const getPrototypeOf = Object.getPrototypeOf;
  const ownKeys = Reflect.ownKeys;
  const describe = Object.getOwnPropertyDescriptor;
  const define = Object.defineProperty;
  const freeze = Object.freeze;
  const isView = ArrayBuffer.isView;

  // Intl.Segmenter hands out objects whose prototypes no global leads to, and making one just to
  // find them costs more than the rest of this function (its ICU data loads): it goes instead.
  delete (Intl as unknown as Record<string, unknown>)["Segmenter"];

  // Legacy RegExp statics (RegExp.$1, lastMatch...) hold the last match of any regexp: shared state.
  for (const name of ["$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "input", "$_", "lastMatch", "$&", "lastParen", "$+", "leftContext", "$`", "rightContext", "$'"]) {
    delete (RegExp as unknown as Record<string, unknown>)[name];
  }

  /**
   * Assigning `this.name = ...` in an Error subclass, or `obj.toString = ...`, would throw once the
   * prototype's property is frozen (the "override mistake"). These stay overridable on instances.
   */
  function tame(proto: object, name: string): void {
    const desc = describe(proto, name);
    if (!desc || !("value" in desc) || !desc.configurable) return;
    const value: unknown = desc.value;
    define(proto, name, {
      get: function (): unknown {
        return value;
      },
      set: function (this: unknown, next: unknown): void {
        if (this === proto || (typeof this !== "object" && typeof this !== "function") || this === null) {
          throw new TypeError("Cannot assign to read only property '" + name + "' of a shared built-in");
        }
        define(this, name, { value: next, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable === true,
      configurable: false,
    });
  }
  const overridable: [object, string[]][] = [
    [Object.prototype, ["constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"]],
    [Function.prototype, ["constructor", "toString", "apply", "bind", "call"]],
    [Error.prototype, ["constructor", "message", "name", "toString"]],
    [Array.prototype, ["constructor", "toString", "push", "join"]],
    [Promise.prototype, ["constructor", "then", "catch", "finally"]],
  ];
  for (const [proto, names] of overridable) for (const name of names) tame(proto, name);

  /* eslint-disable @typescript-eslint/no-empty-function */
  const hidden: unknown[] = [
    getPrototypeOf(function* () {}),
    getPrototypeOf(async function () {}),
    getPrototypeOf(async function* () {}),
    getPrototypeOf([][Symbol.iterator]()),
    getPrototypeOf(new Map().entries()),
    getPrototypeOf(new Set().values()),
    getPrototypeOf(""[Symbol.iterator]()),
    getPrototypeOf("a".matchAll(/a/g)),
    getPrototypeOf(Uint8Array),
    getPrototypeOf(new URLSearchParams().entries()),
  ];
  const pending: unknown[] = [globalThis, ...hidden, ...extraRoots];
  const seen = new WeakSet<object>();
  while (pending.length > 0) {
    const value = pending.pop();
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    pending.push(getPrototypeOf(value));
    for (const key of ownKeys(value)) {
      const desc = describe(value, key);
      if (!desc) continue;
      if ("value" in desc) pending.push(desc.value);
      else pending.push(desc.get, desc.set);
    }
    // A typed array with elements cannot be frozen; none is reachable from the built-ins anyway.
    if (!isView(value)) freeze(value);
  }
}
