/**
 * Red-team of what runs in the sandbox: every test here is an attack by a submission on the integrity
 * of what the sandbox reports (the inspection report the reduction trusts, the protocol lines), on
 * the isolation of student code from Node, or on the reduction's assumption that executions do not
 * share state. Each one asserts that the grader is NOT fooled, so a failing test is an open hole. The
 * grader is treated as a black box through `gradeCode`.
 *
 * The yardstick is the one reduction-tamper.test.ts uses: a solution whose only bug is kind-specific
 * (a pricing timeout charges an eligible customer full price). The full search always finds it; the
 * reduced search finds it only if the inspection report tells it the pricing error was inspected. An
 * attack that learns the kind without the report saying so, or that empties the report, makes the
 * reduced search miss the bug.
 *
 These attacks were written against the earlier in-Node harness, where student code shared a realm
 * with it; several fooled it until it froze every built-in. Student code now runs in a QuickJS engine
 * of its own per execution (grader/sandbox/engine-host.ts), where most of them find nothing to
 * hook; they stay, because each is a way the sandbox could be wrong. Each attack is attempted inside
 * try/catch, falling back to module-level state so the rest of the solution keeps working. An attack
 * that learns nothing then leaves a solution that cannot tell kinds apart, and the right outcome is
 * that both searches agree (possibly both passing): the assertions say "not fooled", never "the
 * attack crashed". Probes of reachability (stack frames, object walks, globals) report what they found
 * and the test asserts the report.
 *
 * "State kept between executions" tries every shared thing a handler could carry a flag in (the
 * reduction assumes none): a handler that answers "retry" only the first time it sees a pricing
 * failure, remembering through that channel. The full search shows it several pricing failures and
 * sees the bug; the reduced search shows it one, so a channel that works makes the two disagree.
 *
 * "Honest code still works" checks the engine runs what an ordinary handler does.
 */
import { describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import type { GradingResult } from "../../../grader/result";
import { loadExercise, readExerciseFile } from "../code/helpers";

const failing = (r: GradingResult) => r.tests.filter((t) => t.status === "fail").map((t) => t.id);

const IMPORT_LINE = 'from "flagship:checkout";\n';
const BUGGY_LINE = 'if (user.firstPurchase) return { status: "retry", reason: `pricing unavailable: failed` };';

/** Replaces the first `find` with `text` taken literally (String.prototype.replace would expand `$&` in it). */
const put = (source: string, find: string, text: string): string => source.replace(find, () => text);

/** The reference with every read of an error's kind removed (so only the bug below tells kinds apart). */
async function quietReference(): Promise<string> {
  const reference = await readExerciseFile("solution.ts");
  const quiet = reference.replaceAll("${describe(e)}", "failed");
  if (!quiet.includes(BUGGY_LINE) || !quiet.includes(IMPORT_LINE))
    throw new Error("the reference changed: update this test's replacements");
  return quiet;
}

/**
 * The kind-specific bug, with `kindOf` the expression the submission uses to learn the pricing
 * error's kind (`e` is the caught error), and `prelude` code put right after the import.
 */
async function buggy(kindOf: string, prelude = ""): Promise<string> {
  const quiet = await quietReference();
  return put(
    put(
      quiet,
      BUGGY_LINE,
      `if (user.firstPurchase && (${kindOf}) !== "timeout") return { status: "retry", reason: "pricing unavailable" };`,
    ),
    IMPORT_LINE,
    `${IMPORT_LINE}const g = globalThis as any;\n${prelude}\n`,
  );
}

/** Wraps the exported checkout: `before` runs first, `after` runs on the response before it is returned. */
function wrapCheckout(source: string, after: string, before = ""): string {
  return source.replace("export async function checkout(", "async function realCheckout(").concat(`
export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
  ${before}
  const response = await realCheckout(req, deps);
  try {
    ${after}
  } catch {}
  return response;
}
`);
}

/**
 * The reduced search must find the same failing rules as the full search, and give the same score.
 * With `bugVisible` (the submission reads `e.kind` itself) the full search must also see the bug; an
 * attack that only snoops may find nothing to snoop, and then the code cannot tell kinds apart at all.
 */
async function expectNotFooled(
  source: string,
  bugVisible: boolean | string[] = true,
): Promise<{ full: GradingResult; reduced: GradingResult }> {
  const exercise = await loadExercise();
  const full = await gradeCode(exercise, source, { reduce: false, maxExecutionsPerFixture: 5000 });
  const reduced = await gradeCode(exercise, source, { reduce: true });
  expect(full.status).toBe("graded");
  expect(failing(full)).not.toContain("no-crash");
  if (bugVisible) expect(failing(full)).toEqual(bugVisible === true ? ["pricing-eligible-retry"] : bugVisible);
  expect({ reduced: failing(reduced), score: reduced.score }).toEqual({ reduced: failing(full), score: full.score });
  return { full, reduced };
}

/**
 * Snooping kit: `see(text)` reads every complete protocol line in `text` and remembers the kind of
 * the latest failed reply (the reply that resumes this execution's catch is the latest one seen when
 * it runs), so `snoopedKind()` is learned from the wire and never from the error object. Its state is
 * module-level: one execution's, since the hooks that feed it are installed per execution (if at all).
 */
const SNOOP_KIT = `
const snoop = { kind: undefined as string | undefined, busy: false, lines: 0 };
const see = (text: string) => {
  if (snoop.busy) return;
  snoop.busy = true;
  try {
    for (const line of text.split("\\n")) {
      if (line.charCodeAt(0) !== 123) continue;
      let m: any;
      try { m = JSON.parse(line); } catch { continue; }
      if (!m || typeof m !== "object") continue;
      snoop.lines++;
      if (m.t === "reply" && m.ok === false && m.error) snoop.kind = m.error.kind;
    }
  } finally {
    snoop.busy = false;
  }
};
const snoopedKind = (): string | undefined => snoop.kind;
`;

/** Decodes a byte view as Latin-1 text without calling anything an attack may have hooked. */
const BYTES_KIT = `
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const lengthOf = Object.getOwnPropertyDescriptor(typedArrayProto, "length")!.get!;
const byteLengthOf = Object.getOwnPropertyDescriptor(typedArrayProto, "byteLength")!.get!;
const bytesText = (b: any, n: number): string => { let t = ""; for (let i = 0; i < n; i++) t += String.fromCharCode(b[i]); return t; };
let scrubbed = 0;
/** Blanks every inspection list in a done line held in \`b\` (digits and commas become spaces: still JSON). */
const scrubDone = (b: any, n: number): void => {
  const t = bytesText(b, n);
  if (t.indexOf('"t":"done"') < 0) return;
  let from = 0;
  for (;;) {
    const at = t.indexOf('"inspected":[', from);
    if (at < 0) break;
    const start = at + '"inspected":['.length;
    const end = t.indexOf("]", start);
    for (let k = start; k < end; k++) b[k] = 32;
    from = end;
  }
  scrubbed++;
};
`;

/**
 * Buffer.prototype by any route: the global (removed now), or the prototype of a byte array some web
 * API hands out (Node makes its own reads into Buffers). Undefined when no route leads to it.
 */
const BUFFER_KIT = `
const bufferPrototype: any = (() => {
  const routes: (() => any)[] = [
    () => g.Buffer?.prototype,
    () => Object.getPrototypeOf(new TextEncoder().encode("x")),
    () => Object.getPrototypeOf(crypto.getRandomValues(new Uint8Array(1))),
    () => Object.getPrototypeOf(structuredClone(new Uint8Array(1))),
    () => Object.getPrototypeOf(new Uint8Array(new ArrayBuffer(1))),
  ];
  for (const route of routes) {
    let p: any;
    // Some lazily defined web globals throw the first time they are read, and work the second.
    try { p = route(); } catch { try { p = route(); } catch {} }
    if (p && p !== Uint8Array.prototype && Object.getPrototypeOf(p) === Uint8Array.prototype) return p;
  }
  return undefined;
})();
`;

/** A handler that runs `body` in every execution (it sets `seen`) and throws what it saw. */
function probe(body: string): string {
  return `
export async function checkout(req: any, deps: any) {
  const g = globalThis as any;
  let seen: unknown = "nothing";
  try {
    ${body}
  } catch (e) {
    seen = "threw: " + String((e as Error)?.message ?? e);
  }
  // Thrown, so the answer shows up in the failed no-crash rule's message whatever the execution did.
  throw new Error("PROBE[" + String(seen).replaceAll("]", ")") + "]");
}`;
}

const probed = (result: GradingResult): string => {
  const match = /PROBE\[(.*?)\]/.exec(JSON.stringify(result));
  if (!match)
    throw new Error(
      "the probe's answer is not in the result: " + JSON.stringify(result.tests.map((t) => t.message)).slice(0, 1500),
    );
  // The match is a piece of JSON string text: decode its escapes (\\n, \\").
  return JSON.parse(`"${match[1] ?? ""}"`) as string;
};

describe("harness red team: learning an error's kind without the report saying so", () => {
  it("baseline: reading the kind normally is reported, so the reduced search finds the bug", async () => {
    await expectNotFooled(await buggy("(e as ServiceError).kind"));
  }, 240_000);

  for (const method of ["indexOf", "slice"]) {
    it(`snoops the grader's replies through a String.prototype.${method} hook on the stdin buffer`, async () => {
      const prelude = `${SNOOP_KIT}
try {
  const original = String.prototype.${method};
  String.prototype.${method} = function (this: string, ...args: any[]) { see(String(this)); return Reflect.apply(original, this, args); } as any;
} catch {}`;
      await expectNotFooled(await buggy("snoopedKind()", prelude), false);
    }, 240_000);
  }

  it("snoops the raw stdin chunks through a getter for length on Buffer.prototype (or %TypedArray%.prototype)", async () => {
    const prelude = `${SNOOP_KIT}${BYTES_KIT}${BUFFER_KIT}
for (const target of [bufferPrototype, Uint8Array.prototype, typedArrayProto]) {
  if (!target) continue;
  try {
    Object.defineProperty(target, "length", {
      configurable: true,
      get(this: any) { const n = Reflect.apply(lengthOf, this, []); if (!snoop.busy) see(bytesText(this, n)); return n; },
    });
  } catch {}
}`;
    await expectNotFooled(await buggy("snoopedKind()", prelude), false);
  }, 240_000);

  it("snoops the raw stdin chunks through Buffer[Symbol.hasInstance] (or Uint8Array's)", async () => {
    const prelude = `${SNOOP_KIT}${BYTES_KIT}${BUFFER_KIT}
for (const target of [bufferPrototype?.constructor, Uint8Array]) {
  if (!target) continue;
  try {
    const ordinary = Function.prototype[Symbol.hasInstance];
    Object.defineProperty(target, Symbol.hasInstance, {
      configurable: true,
      value(this: any, value: any) {
        try {
          if (value instanceof Uint8Array && !snoop.busy) see(bytesText(value, Reflect.apply(byteLengthOf, value, [])));
        } catch {}
        return Reflect.apply(ordinary, this, [value]);
      },
    });
  } catch {}
}`;
    await expectNotFooled(await buggy("snoopedKind()", prelude), false);
  }, 240_000);

  it("cannot learn the kind from a ServiceError's other fields (message, stack, name, structuredClone, own keys)", async () => {
    // Everything about the error except the watched getters: if any of it differed by kind, a
    // submission could tell kinds apart unseen. Comparing errors of different kinds takes state
    // shared between executions, which a handler should not have, so the test is the comparator:
    // first the fingerprint of one pricing error is read back (the handler throws it), then a handler
    // that returns an error whenever its pricing error's fingerprint differs from that one is run
    // through the full search, which shows it every kind.
    const fingerprint = `const err = e as any;
    const desc = Object.getOwnPropertyDescriptors(err);
    let cloned = "";
    try { cloned = JSON.stringify(structuredClone({ message: err.message, stack: String(err.stack), name: err.name })); } catch (c) { cloned = "clone threw " + String(c); }
    const fingerprint = [err.message, String(err.stack).split("\\n")[0], err.name, String(err), Reflect.ownKeys(err).map(String).join("|"), Object.keys(desc).join("|"), cloned.length, String(desc.kind?.get), err instanceof ServiceError, Object.getPrototypeOf(err) === ServiceError.prototype].join("#").replaceAll("[", "(").replaceAll("]", ")");`;
    const quiet = await quietReference();
    const exercise = await loadExercise();
    const first = await gradeCode(
      exercise,
      put(
        quiet,
        BUGGY_LINE,
        `${fingerprint}\n    if (user.firstPurchase) throw new Error("PROBE[" + fingerprint + "]");`,
      ),
      { reduce: true },
    );
    const expected = probed(first);
    expect(expected).toContain("#");
    const compare = put(
      quiet,
      BUGGY_LINE,
      `${fingerprint}
    if (user.firstPurchase && fingerprint !== ${JSON.stringify(expected)}) return { status: "error", reason: "the error told kinds apart: " + fingerprint };
    if (user.firstPurchase) return { status: "retry", reason: "pricing unavailable" };`,
    );
    const full = await gradeCode(exercise, compare, { reduce: false, maxExecutionsPerFixture: 5000 });
    expect(failing(full)).toEqual([]);
    expect(JSON.stringify(full)).not.toContain("the error told kinds apart");
  }, 240_000);
});

describe("harness red team: emptying or forging the inspection report", () => {
  it("rewrites the outgoing done line in place from a getter for length on Buffer.prototype", async () => {
    const prelude = `${BYTES_KIT}${BUFFER_KIT}
try {
  Object.defineProperty(bufferPrototype ?? Uint8Array.prototype, "length", {
    configurable: true,
    get(this: any) { const n = Reflect.apply(lengthOf, this, []); scrubDone(this, n); return n; },
  });
} catch {}`;
    await expectNotFooled(await buggy("(e as ServiceError).kind", prelude));
  }, 240_000);

  it("rewrites the outgoing done line in place from a getter for byteLength on Buffer.prototype (read by fs.writeSync)", async () => {
    const prelude = `${BYTES_KIT}${BUFFER_KIT}
try {
  Object.defineProperty(bufferPrototype ?? Uint8Array.prototype, "byteLength", {
    configurable: true,
    get(this: any) { const n = Reflect.apply(byteLengthOf, this, []); scrubDone(this, n); return n; },
  });
} catch {}`;
    await expectNotFooled(await buggy("(e as ServiceError).kind", prelude));
  }, 240_000);

  it("rewrites the outgoing done line from a getter on %TypedArray%.prototype (no Buffer global needed)", async () => {
    const prelude = `${BYTES_KIT}
for (const target of [Uint8Array.prototype, typedArrayProto]) {
  try {
    Object.defineProperty(target, "byteLength", {
      configurable: true,
      get(this: any) { const n = Reflect.apply(byteLengthOf, this, []); scrubDone(this, n); return n; },
    });
  } catch {}
}`;
    await expectNotFooled(await buggy("(e as ServiceError).kind", prelude));
  }, 240_000);

  it("steals the harness's per-execution record through setters planted on Object.prototype", async () => {
    // Any `record.field = value` the harness does on an ordinary object that lacks `field` runs a
    // setter on Object.prototype with the record as `this` (an earlier harness assigned `run.watch`).
    const prelude = `
const store = new WeakMap<object, Record<string, unknown>>();
const stolen: any[] = [];
for (const name of ["watch", "timer", "interval", "idleChecks", "pendingCount", "done", "settled", "finished", "session", "module", "waiter", "inspected", "shape"]) {
  try {
    Object.defineProperty(Object.prototype, name, {
      configurable: true,
      get(this: object) { return store.get(this)?.[name]; },
      set(this: any, value: unknown) {
        let own = store.get(this);
        if (!own) store.set(this, (own = Object.create(null) as Record<string, unknown>));
        own[name] = value;
        if (this && typeof this === "object" && ("inspected" in this || "pending" in this)) {
          stolen.push(this);
          // Drop every record the error getters make from now on.
          try { this.inspected = new Proxy(Object.create(null), { set: () => true, defineProperty: () => true }); } catch {}
        }
      },
    });
  } catch {}
}`;
    const source = wrapCheckout(
      await buggy("(e as ServiceError).kind", prelude),
      `for (const run of stolen) for (const key of Object.keys(run.inspected ?? {})) delete run.inspected[key];`,
    );
    await expectNotFooled(source);
  }, 240_000);

  it("cannot hide a read made lazily while the response is serialized (getter, toJSON) or adopted (thenable)", async () => {
    const quiet = await quietReference();
    const variants = {
      getter: `if (user.firstPurchase) { const err = e as ServiceError; return { get status() { return err.kind !== "timeout" ? "retry" : "error"; }, reason: "pricing unavailable" } as any; }`,
      toJSON: `if (user.firstPurchase) { const err = e as ServiceError; return { status: "retry", reason: "pricing unavailable", toJSON() { return err.kind !== "timeout" ? { status: "retry", reason: "r" } : { status: "error", reason: "r" }; } } as any; }`,
      thenable: `if (user.firstPurchase) { const err = e as ServiceError; return { then(resolve: (v: unknown) => void) { resolve(err.kind !== "timeout" ? { status: "retry", reason: "r" } : { status: "error", reason: "r" }); } } as any; }`,
    };
    for (const [how, line] of Object.entries(variants)) {
      const source = put(quiet, BUGGY_LINE, line);
      const exercise = await loadExercise();
      const reduced = await gradeCode(exercise, source, { reduce: true });
      expect({ how, failing: failing(reduced) }).toEqual({ how, failing: ["pricing-eligible-retry"] });
    }
  }, 240_000);
});

/**
 * Reads the CallSites of an error: receiver and function of every frame that V8 does not hide (it
 * hides them for strict-mode frames). CallSites come only through Error.prepareStackTrace, which the
 * lockdown freezes: `callSites` records whether installing the hook was refused.
 */
const CALLSITE_KIT = `
let callSites = "not tried";
const framesOf = (e: any): { self: any; fn: any; name: string }[] => {
  const saved = (Error as any).prepareStackTrace;
  try {
    (Error as any).prepareStackTrace = (_: unknown, sites: any[]) => sites;
    callSites = (Error as any).prepareStackTrace === saved ? "ignored" : "accepted";
  } catch (refusal) {
    callSites = "refused";
    return [];
  }
  try {
    const sites = e && e.stack;
    if (!Array.isArray(sites)) return [];
    return sites.map((site: any) => {
      let self: any, fn: any;
      try { self = site.getThis(); } catch {}
      try { fn = site.getFunction(); } catch {}
      return { self, fn, name: String(site.getFunctionName()) };
    });
  } finally {
    try { (Error as any).prepareStackTrace = saved; } catch {}
  }
};
`;

/** Puts \`call\` at the start of every catch block that names its error. */
const inEveryCatch = (source: string, call: string) =>
  source.replaceAll("} catch (e) {", `} catch (e) {\n    ${call};`);

describe("harness red team: harness frames seen through CallSites", () => {
  it("cannot reach process.stdin (a Node stream) through a harness frame's receiver, nor write its own line on the protocol fd", async () => {
    const body = `${CALLSITE_KIT}
let error: unknown;
try { await deps.users.getUser("no-such-user"); } catch (e) { error = e; }
const stream = framesOf(error).map((f) => f.self).find((x) => x && typeof x === "object" && typeof x.prependListener === "function");
if (!stream) seen = "prepareStackTrace " + callSites + ", no stream";
else {
  // A Socket of our own on the protocol fd, writing a line the grader accepts and ignores (a spare "ready").
  // The same route writes any line: call, done, inspect, stuck, crash, for any execution.
  const channel = new stream.constructor({ fd: 3, readable: false, writable: true });
  channel._handle?.setBlocking?.(true);
  channel.write(JSON.stringify({ t: "ready" }) + "\\n");
  seen = "got a " + stream.constructor.name + " (fd " + stream._handle?.fd + "), wrote a protocol line through a " + channel.constructor.name + " on fd 3";
}`;
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, probe(body), { reduce: true });
    // QuickJS keeps no CallSites: the hook may be set, and is never called.
    expect(probed(result)).toMatch(/^prepareStackTrace (refused|accepted), no stream$/);
  }, 240_000);

  it("cannot evaluate a string as code through the harness's onMessage taken from a CallSite", async () => {
    const body = `${CALLSITE_KIT}
let error: unknown;
try { await deps.users.getUser("no-such-user"); } catch (e) { error = e; }
const onMessage = framesOf(error).map((f) => f.fn).find((fn) => typeof fn === "function" && fn.name === "onMessage");
if (!onMessage) seen = "prepareStackTrace " + callSites + ", no onMessage";
else {
  // --disallow-code-generation-from-strings stops eval and Function, not the harness's own vm.Script.
  // The string becomes the module every later execution runs; its answer shows it was evaluated.
  onMessage({ t: "load", code: "(function (require, module, exports) { exports.checkout = async () => ({ status: 'error', reason: 'PROBE[evaluated ' + String(6 * 7) + ']' }); })" });
  seen = "load returned";
}`;
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, probe(body), { reduce: true });
    expect(probed(result)).toMatch(/^prepareStackTrace (refused|accepted), no onMessage$/);
  }, 240_000);

  it("takes makeError from a CallSite and, from a hook it calls, reads its arguments to drop the execution's records", async () => {
    const prelude = `${CALLSITE_KIT}
let armed = false;
const arm = (e: unknown) => {
  if (armed) return;
  const fns: Function[] = [];
  for (const frame of framesOf(e)) if (typeof frame.fn === "function") fns.push(frame.fn);
  if (fns.length === 0) return;
  armed = true;
  const original = Array.prototype[Symbol.iterator];
  const dropped = new WeakSet<object>();
  try {
    (Array.prototype as any)[Symbol.iterator] = function (this: unknown[]) {
      // Runs inside makeError (a for-of over the error's fields): a sloppy function's .arguments is live.
      for (let i = 0; i < fns.length; i++) {
        let args: any;
        try { args = (fns[i] as any).arguments; } catch { continue; }
        for (let j = 0; args && j < args.length; j++) {
          const run = args[j];
          if (run && typeof run === "object" && "inspected" in run && !dropped.has(run)) {
            dropped.add(run);
            try { run.inspected = new Proxy(Object.create(null), { set: () => true, defineProperty: () => true }); } catch {}
          }
        }
      }
      return Reflect.apply(original, this, []);
    };
  } catch {}
};`;
    const source = inEveryCatch(await buggy("(e as ServiceError).kind", prelude), "arm(e)");
    await expectNotFooled(source);
  }, 240_000);
});

describe("harness red team: reaching the harness or Node from student code", () => {
  it("gets no receiver or function out of any stack frame, nor through .caller/.arguments of any function it is handed", async () => {
    // Frames would be captured where harness code is on the stack: a ServiceError made by the harness,
    // an error made inside a hook the harness calls (String.prototype.indexOf on the stdin buffer),
    // one made inside a getter of the response while the harness serializes it, one in a timer. All
    // of that needs Error.prepareStackTrace (frozen now) or a hook on a built-in (frozen). The other
    // route to a caller, `fn.caller` / `fn.arguments`, is tried on every function student code is
    // handed: the deps methods, the ServiceError class, the resolving functions a thenable gets.
    const source = `
const frames: string[] = [];
const hooks: string[] = [];
const record = (where: string, sites: any[]) => {
  for (const site of sites) {
    let self: unknown, fn: unknown, type: unknown;
    try { self = site.getThis(); } catch {}
    try { fn = site.getFunction(); } catch {}
    try { type = site.getTypeName(); } catch {}
    if (self !== undefined || fn !== undefined) frames.push(where + ":" + String(site.getFunctionName()) + ":" + String(type) + ":" + typeof self + ":" + typeof fn);
  }
};
try {
  (Error as any).prepareStackTrace = (_error: unknown, sites: any[]) => { record("trace", sites); return "stack"; };
  hooks.push("prepareStackTrace:" + (typeof (Error as any).prepareStackTrace === "function" ? "accepted" : "ignored"));
} catch { hooks.push("prepareStackTrace:refused"); }
const capture = (where: string) => { const e: any = new Error(where); void e.stack; };
let inHook = false;
try {
  const original = String.prototype.indexOf;
  String.prototype.indexOf = function (this: string, ...args: any[]) {
    if (!inHook) { inHook = true; try { capture("indexOf"); } finally { inHook = false; } }
    return Reflect.apply(original, this, args);
  } as any;
  hooks.push("indexOf:accepted");
} catch { hooks.push("indexOf:refused"); }
setTimeout(() => capture("timer"), 0);
setImmediate(() => capture("immediate"));
const callers: string[] = [];
const askCaller = (name: string, fn: unknown) => {
  if (typeof fn !== "function") return;
  for (const key of ["caller", "arguments"]) {
    try {
      const got = (fn as any)[key];
      if (got !== null && got !== undefined) callers.push(name + "." + key + ":" + typeof got);
    } catch {}
  }
};
import { ServiceError } from "flagship:checkout";
export async function checkout(req: any, deps: any) {
  askCaller("ServiceError", ServiceError);
  askCaller("Math.random", Math.random);
  for (const service of Object.keys(deps)) for (const method of Object.keys(deps[service])) askCaller(service + "." + method, deps[service][method]);
  try { await deps.users.getUser(req.userId); await deps.carts.getCart(req.cartId); } catch (e: any) { void e.stack; }
  await { then(resolve: any, reject: any) { askCaller("resolve", resolve); askCaller("reject", reject); resolve(1); } };
  return { status: "error", get reason() { capture("getter"); return "FRAMES[" + frames.join(";") + "]CALLERS[" + callers.join(";") + "]HOOKS[" + hooks.join(",") + "]"; } } as any;
}`;
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, source, { reduce: false });
    const text = JSON.stringify(result);
    const frames = [...text.matchAll(/FRAMES\[(.*?)\]/g)].map((m) => m[1]).filter((f) => f);
    const callers = [...text.matchAll(/CALLERS\[(.*?)\]/g)].map((m) => m[1]).filter((f) => f);
    // Whether the hooks could be set no longer matters: each execution has an engine of its own, and
    // nothing of the host is ever on its stack.
    expect({ frames, callers }).toEqual({ frames: [], callers: [] });
  }, 240_000);

  it("finds nothing of Node's or the harness's by walking every object reachable from the globals, timers, deps and web APIs", async () => {
    const body = `
const roots: [string, unknown][] = [["globalThis", g], ["deps", deps], ["req", req]];
const timeout: any = setTimeout(() => undefined, 100000);
const interval: any = setInterval(() => undefined, 25);
const immediate: any = setImmediate(() => undefined);
roots.push(["timeout", timeout], ["interval", interval], ["immediate", immediate]);
try { await deps.users.getUser("no-such-user"); } catch (e) { roots.push(["error", e]); }
roots.push(["promise", deps.carts.getCart(req.cartId)]);
// What the web APIs hand out (some lazily defined globals throw the first time they are read).
const twice = (f: () => unknown): unknown => { try { return f(); } catch { try { return f(); } catch (e) { return e; } } };
for (const [name, make] of [
  ["crypto", () => crypto], ["subtle", () => crypto.subtle], ["encoded", () => new TextEncoder().encode("x")],
  ["abortReason", () => AbortSignal.abort().reason], ["controller", () => new AbortController()], ["atob", () => atob],
  ["segments", () => new Intl.Segmenter().segment("ab")], ["segmentIterator", () => new Intl.Segmenter().segment("ab")[Symbol.iterator]()],
  ["searchParams", () => new URLSearchParams("a=1").entries()], ["url", () => new URL("http://example.com/")], ["event", () => new Event("x")],
  ["cloneError", () => { try { structuredClone(() => 1); } catch (e) { return e; } }], ["DOMException", () => g.DOMException],
] as [string, () => unknown][]) roots.push([name, twice(make)]);
// Names of Node's ways out and of the harness's own functions (generic ones like "write" would match Buffer's).
const bad = new Set(["process", "require", "createRequire", "getBuiltinModule", "writeSync", "readSync", "openSync", "spawn", "spawnSync", "execSync", "dlopen", "binding", "_linkedBinding", "reallyExit", "_rawDebug", "internalBinding", "Buffer", "FastBuffer", "harnessMain", "sendDone", "flush", "finish", "makeError", "askShape", "callGrader", "onMessage", "retire", "isolateGlobals", "makeSession", "crashAndExit", "startWatching", "lockdown"]);
const found: string[] = [];
const visited = new Set<unknown>();
const queue: [string, unknown][] = [...roots];
let steps = 0;
while (queue.length > 0 && steps < 60000) {
  steps++;
  const [path, value] = queue.shift()!;
  if ((typeof value !== "object" && typeof value !== "function") || value === null || visited.has(value)) continue;
  visited.add(value);
  if (typeof value === "function" && bad.has((value as Function).name)) found.push(path + " -> function " + (value as Function).name);
  if (ArrayBuffer.isView(value)) { try { queue.push([path + ".__proto__", Reflect.getPrototypeOf(value as object)]); } catch {} continue; }
  let keys: (string | symbol)[] = [];
  try { keys = Reflect.ownKeys(value as object); } catch { continue; }
  for (const key of keys) {
    const name = String(key);
    if (bad.has(name) && typeof key === "string") found.push(path + "." + name);
    let desc: PropertyDescriptor | undefined;
    try { desc = Reflect.getOwnPropertyDescriptor(value as object, key); } catch { continue; }
    if (!desc) continue;
    if ("value" in desc) queue.push([path + "." + name, desc.value]);
    else {
      queue.push([path + ".get " + name, desc.get], [path + ".set " + name, desc.set]);
      try { queue.push([path + "." + name, Reflect.apply(desc.get as Function, value, [])]); } catch {}
    }
  }
  try { queue.push([path + ".__proto__", Reflect.getPrototypeOf(value as object)]); } catch {}
}
clearTimeout(timeout); clearInterval(interval); clearImmediate(immediate);
seen = found.length ? found.slice(0, 20).join(", ") : "nothing reachable after " + steps + " objects";`;
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, probe(body), { reduce: true });
    expect(probed(result)).toMatch(/^nothing reachable after \d+ objects$/);
  }, 240_000);

  it("finds no global beyond the harness's allowlist, none on the global object's prototype chain", async () => {
    const body = `
const names: string[] = [];
for (let o: any = g; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) for (const k of Reflect.ownKeys(o)) names.push(String(k));
seen = names.filter((n) => ["process", "require", "module", "exports", "fs", "Buffer", "performance", "WebAssembly", "fetch", "Blob", "MessageChannel", "MessagePort", "BroadcastChannel", "Worker", "navigator", "__filename", "__dirname"].includes(n)).join(",") || "none";`;
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, probe(body), { reduce: true });
    expect(probed(result)).toBe("none");
  }, 240_000);
});

/**
 * A handler that answers "retry" only the first time an eligible customer meets a pricing failure,
 * remembering that it has through `channel`: code defining `remember()` and `remembered()` (which may
 * return a promise; anything they throw counts as "nothing remembered"). Otherwise it is the quiet
 * reference.
 * Within one execution there is only one pricing failure, so module-level state never remembers.
 */
async function firstTimeOnly(channel: string): Promise<string> {
  const quiet = await quietReference();
  // Synchronous channels are used synchronously: executions whose replies arrive together resume in
  // one microtask checkpoint, and an await between the look and the mark would let all of them look
  // before any of them marks.
  const handled = put(
    quiet,
    BUGGY_LINE,
    `if (user.firstPurchase) {
      let before = false;
      try { const r: unknown = remembered(); before = (r instanceof Promise ? await r : r) === true; } catch {}
      try { remember(); } catch {}
      if (!before) return { status: "retry", reason: "pricing unavailable" };
    }`,
  );
  return put(handled, IMPORT_LINE, `${IMPORT_LINE}const g = globalThis as any;\n${channel}\n`);
}

/**
 * A channel that hangs a flag (a string key and a registered symbol) on each object `places` names:
 * expressions evaluated at each use, twice if the first read throws (lazily defined web globals do).
 */
function placesChannel(places: string[], setup = ""): string {
  return `${setup}
const seenKey = Symbol.for("flagship.seen-pricing-failure");
const reach = (f: () => any): any => { try { return f(); } catch { try { return f(); } catch { return undefined; } } };
const places = (): any[] => [${places.map((p) => `() => (${p})`).join(", ")}].map(reach).filter((p) => (typeof p === "object" || typeof p === "function") && p !== null);
const remember = () => {
  for (const p of places()) {
    try { p.__seenPricingFailure = true; } catch {}
    try { Object.defineProperty(p, seenKey, { value: true }); } catch {}
  }
};
const remembered = () => places().some((p) => p.__seenPricingFailure === true || p[seenKey] === true);`;
}

/** The first `n` draws of the harness's Math.random for seed 1 (checkout sessions give no seed). */
const SEEDED_SEQUENCE_KIT = `
const seededSequence = (n: number): number[] => {
  const out: number[] = [];
  let state = 1;
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
};
`;

const channels: Record<string, string> = {
  // Hole 3 of the first red team: a counter on the global object.
  "a property of the global object": placesChannel(["globalThis", "Object.getPrototypeOf(globalThis)"]),
  "prototypes and statics of the built-ins (Object, Array, Function, Promise, Error, String, Map, Math, JSON, Reflect, the iterator prototypes)":
    placesChannel([
      "Object.prototype",
      "Array.prototype",
      "Function.prototype",
      "Promise.prototype",
      "Error.prototype",
      "String.prototype",
      "Map.prototype",
      "Object",
      "Array",
      "Math",
      "JSON",
      "Reflect",
      "Symbol",
      "Object.getPrototypeOf(function* () {})",
      "Object.getPrototypeOf([][Symbol.iterator]())",
      "Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))",
      "Object.getPrototypeOf(Uint8Array)",
    ]),
  // The registry itself holds no observable state (Symbol.for makes on demand); the flag is hung on
  // shared objects under a registered symbol, and also looked for among their own symbols.
  "the Symbol.for registry": `
const remember = () => {
  const key = Symbol.for("flagship.seen-pricing-failure");
  for (const p of [Symbol, Symbol.prototype, Object.prototype]) { try { Object.defineProperty(p, key, { value: true }); } catch {} }
};
const remembered = () => [Symbol, Symbol.prototype, Object.prototype].some((p) => Object.getOwnPropertySymbols(p).some((s) => Symbol.keyFor(s) === "flagship.seen-pricing-failure"));`,
  "the legacy RegExp statics (RegExp.$1, lastMatch...)": `
const MARK = "seen-pricing-failure";
const remember = () => { /(seen-pricing-failure)/.exec(MARK); };
const remembered = () => {
  const R = RegExp as any;
  return ["$1", "lastMatch", "$&", "input", "$_", "lastParen", "$+", "leftContext", "rightContext"].some((k) => { try { return String(R[k]).includes(MARK); } catch { return false; } });
};`,
  "Error.stackTraceLimit, Error.prepareStackTrace and Error.captureStackTrace": `
const remember = () => {
  try { (Error as any).stackTraceLimit = 7; } catch {}
  try { (Error as any).prepareStackTrace = () => "seen-pricing-failure"; } catch {}
};
const remembered = () => {
  if ((Error as any).stackTraceLimit === 7 || typeof (Error as any).prepareStackTrace === "function") return true;
  const o: any = {};
  Error.captureStackTrace(o);
  return String(o.stack) === "seen-pricing-failure" || String(new Error("x").stack) === "seen-pricing-failure";
};`,
  "the timers' prototypes (Timeout, Immediate)": placesChannel(
    [
      "timerProto(setTimeout, clearTimeout)",
      "timerProto(setInterval, clearInterval)",
      "timerProto(setImmediate, clearImmediate)",
      "setTimeout",
      "setImmediate",
      "clearTimeout",
    ],
    `const timerProto = (make: any, clear: any): any => { const t = make(() => undefined, 0); clear(t); return Object.getPrototypeOf(t); };`,
  ),
  "the ServiceError class and its prototype": placesChannel([
    "ServiceError",
    "ServiceError.prototype",
    "Object.getPrototypeOf(ServiceError)",
  ]),
  // A registry or WeakRef made in one execution is only a trigger: its callback (after a GC, in some
  // later execution) must still write where a later execution can look.
  "a WeakRef or FinalizationRegistry made in an earlier execution": `
const places = (): any[] => [globalThis, WeakRef.prototype, FinalizationRegistry.prototype, WeakRef, FinalizationRegistry, Object.prototype];
const mark = () => { for (const p of places()) { try { p.__seenPricingFailure = true; } catch {} } };
const registry = new FinalizationRegistry(() => mark());
const remember = () => {
  for (let i = 0; i < 1000; i++) registry.register({ garbage: new Array(100).fill(i) }, i);
  try { (WeakRef.prototype as any).__lastRef = new WeakRef(registry); } catch {}
  mark();
};
const remembered = () => places().some((p) => p.__seenPricingFailure === true || p.__lastRef !== undefined);`,
  // Math.random is reseeded when each execution starts, but its state is the harness's, shared by
  // every execution in the child: executions in flight together draw from one sequence, and a timer
  // loop left running by an earlier execution keeps drawing from it. Either way, a draw that is not
  // the first of a fresh seed's sequence says some other execution has been here.
  "Math.random's state (shared by the executions in flight, and advanced by a timer loop an earlier one left running)": `${SEEDED_SEQUENCE_KIT}
const [firstDraw] = seededSequence(1);
let alreadySeen = false;
const remembered = () => (alreadySeen = Math.random() !== firstDraw);
const remember = () => {
  if (alreadySeen) return;
  const spin = () => { for (let i = 0; i < 50; i++) Math.random(); setImmediate(spin); };
  setImmediate(spin);
};`,
  "Intl's constructors, prototypes and the objects its formatters hand out": placesChannel([
    "Intl",
    "Intl.DateTimeFormat",
    "Intl.DateTimeFormat.prototype",
    "Intl.NumberFormat.prototype",
    "Intl.Collator.prototype",
    "Intl.Locale.prototype",
    "Object.getPrototypeOf(new Intl.NumberFormat().format)",
    "Object.getPrototypeOf(new Intl.DateTimeFormat().resolvedOptions())",
  ]),
  "the prototypes of Intl.Segmenter's segments and their iterator": placesChannel([
    "Object.getPrototypeOf(new Intl.Segmenter().segment('ab'))",
    "Object.getPrototypeOf(new Intl.Segmenter().segment('ab')[Symbol.iterator]())",
  ]),
  "the crypto global (Crypto, SubtleCrypto and their prototypes)": placesChannel([
    "crypto",
    "Object.getPrototypeOf(crypto)",
    "crypto.subtle",
    "Object.getPrototypeOf(crypto.subtle)",
  ]),
  "the lazily defined web globals (AbortController, AbortSignal, TextEncoder, atob, btoa)": placesChannel([
    "AbortController",
    "AbortController.prototype",
    "AbortSignal",
    "AbortSignal.prototype",
    "TextEncoder",
    "TextEncoder.prototype",
    "atob",
    "btoa",
  ]),
  "DOMException and its prototype (from AbortSignal.abort().reason or structuredClone's error)": placesChannel([
    "Object.getPrototypeOf(AbortSignal.abort().reason)",
    "Object.getPrototypeOf(AbortSignal.abort().reason).constructor",
    "(() => { try { structuredClone(() => 1); } catch (e) { return Object.getPrototypeOf(e); } })()",
  ]),
  "the URLSearchParams iterator prototype": placesChannel([
    "Object.getPrototypeOf(new URLSearchParams('a=1').entries())",
  ]),
  "the web globals kept as values (URL, URLSearchParams, TextDecoder, Event, EventTarget, console, structuredClone, queueMicrotask)":
    placesChannel([
      "URL",
      "URL.prototype",
      "URLSearchParams.prototype",
      "TextDecoder.prototype",
      "Event.prototype",
      "EventTarget.prototype",
      "console",
      "console.log",
      "structuredClone",
      "queueMicrotask",
    ]),
};

describe("harness red team: state kept between executions", () => {
  for (const [where, channel] of Object.entries(channels)) {
    it(`a handler that remembers its first pricing failure in ${where} is judged as the full search judges it`, async () => {
      await expectNotFooled(await firstTimeOnly(channel), false);
    }, 240_000);
  }

  it("learns its own fault's kind by reading a finished execution's error, kept in whatever shared place still takes it", async () => {
    // A read of an error whose execution is over is answered all the same; the grader then counts
    // every later execution of that child as having read all its errors. A child execution repeats
    // its parent's faults, so the parent's error (kept somewhere shared) tells the child its own
    // pricing fault's kind. The bug: after a pricing *timeout*, a failed payment is answered "retry"
    // instead of "error". The reduced search explores only the first kind below a pricing fault nobody
    // read, so without the taint it would never meet a timeout; the full search does. The errors are
    // kept in the first shared place that takes a new property (the global object first); if none
    // does, the log is this execution's only and the attack learns nothing.
    const quiet = await quietReference();
    const store = `
const logKey = Symbol.for("flagship.pricing-errors");
const pricingLog: any[] = (() => {
  const reach = (f: () => any): any => { try { return f(); } catch { try { return f(); } catch { return undefined; } } };
  const candidates = [() => globalThis, () => Object.prototype, () => Error.prototype, () => crypto, () => AbortSignal.prototype, () => TextEncoder, () => Object.getPrototypeOf(new Intl.Segmenter().segment("a"))];
  for (const candidate of candidates) {
    const place = reach(candidate);
    if (!place) continue;
    if (Array.isArray(place[logKey])) return place[logKey];
    try { Object.defineProperty(place, logKey, { value: [] }); return place[logKey]; } catch {}
  }
  return [];
})();
let myPricingEntry: any;
`;
    let handler = put(quiet, IMPORT_LINE, `${IMPORT_LINE}${store}`);
    handler = put(handler, "let adjustmentCents = 0;", "let adjustmentCents = 0;\n  let pricingFailed = false;");
    handler = put(
      handler,
      BUGGY_LINE,
      `pricingFailed = true;
    const entry = { error: e, done: false };
    pricingLog.push(entry);
    myPricingEntry = entry;
    if (user.firstPurchase) return { status: "retry", reason: "pricing unavailable" };`,
    );
    handler = put(
      handler,
      'return { status: "error", reason: `payment failed: failed` };',
      `const finished = pricingLog.filter((x: any) => x.done);
    if (pricingFailed && finished.some((x: any) => x.error.kind === "timeout")) return { status: "retry", reason: "pricing timed out, then payment failed" };
    return { status: "error", reason: "payment failed" };`,
    );
    const source = wrapCheckout(
      handler,
      // Marked finished once the harness has sent this execution's done (a timer runs after that).
      `const mine = myPricingEntry; if (mine) setTimeout(() => { mine.done = true; }, 0);`,
    );
    if (!source.includes("pricing timed out, then payment failed") || !source.includes("pricingFailed = true"))
      throw new Error("the reference changed: update this test's replacements");
    await expectNotFooled(source, false);
  }, 240_000);
});

/**
 * The reference solution with `prelude` after its import and `check` run first in every execution:
 * `check` throws (a crash, failing no-crash) if the lockdown broke what it exercises.
 */
async function referenceWith(prelude: string, check: string): Promise<string> {
  const reference = await readExerciseFile("solution.ts");
  const anchor = "export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {\n";
  if (!reference.includes(anchor) || !reference.includes(IMPORT_LINE))
    throw new Error("the reference changed: update this test's anchors");
  return put(put(reference, IMPORT_LINE, `${IMPORT_LINE}${prelude}\n`), anchor, `${anchor}  ${check}\n`);
}

async function expectFullMarks(source: string): Promise<void> {
  const exercise = await loadExercise();
  const reference = await gradeCode(exercise, await readExerciseFile("solution.ts"), { reduce: true });
  const result = await gradeCode(exercise, source, { reduce: true });
  expect(result.status).toBe("graded");
  const problems = result.tests.filter((t) => t.status === "fail").map((t) => `${t.id}: ${t.message}`);
  expect(problems).toEqual([]);
  expect(result.score).toBe(reference.score);
}

describe("harness red team: honest code still works under the lockdown", () => {
  it("an Error subclass that sets this.name (and uses Error.captureStackTrace) in its constructor", async () => {
    const prelude = `
class CheckoutError extends Error {
  code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = "CheckoutError";
    this.code = code;
    Error.captureStackTrace?.(this, CheckoutError);
  }
}
class LegacyError extends Error {
  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, LegacyError.prototype);
    this.message = "legacy: " + message;
  }
}
function selfCheck(): void {
  let caught: unknown;
  try { throw new CheckoutError("boom", "E1"); } catch (e) { caught = e; }
  const e = caught as CheckoutError;
  if (!(e instanceof CheckoutError) || e.name !== "CheckoutError" || e.code !== "E1" || String(e) !== "CheckoutError: boom" || !String(e.stack).startsWith("CheckoutError: boom")) throw new Error("Error subclass broken: " + String(e));
  const l = new LegacyError("x");
  if (!(l instanceof LegacyError) || l.message !== "legacy: x" || l.name !== "Error") throw new Error("legacy error broken");
}`;
    await expectFullMarks(await referenceWith(prelude, "selfCheck();"));
  }, 240_000);

  it("a class with a toString override, assignments of toString/valueOf/constructor on plain objects, Object.assign onto a fresh object", async () => {
    const prelude = `
class Money {
  constructor(readonly cents: number) {}
  toString(): string { return (this.cents / 100).toFixed(2) + " EUR"; }
  valueOf(): number { return this.cents; }
  toJSON(): unknown { return { cents: this.cents }; }
}
function selfCheck(): void {
  const m = new Money(1234);
  if (String(m) !== "12.34 EUR" || \`\${m}\` !== "12.34 EUR" || +m !== 1234 || JSON.stringify({ m }) !== '{"m":{"cents":1234}}') throw new Error("Money broken");
  const plain: any = {};
  plain.toString = () => "plain";
  plain.valueOf = () => 7;
  plain.constructor = Money;
  plain.hasOwnProperty = () => true;
  if (String(plain) !== "plain" || +plain !== 7 || plain.constructor !== Money) throw new Error("assigning over Object.prototype's names broken");
  const merged: any = Object.assign({}, { toString: () => "merged", name: "n", a: 1 }, { b: 2, constructor: "c" });
  if (String(merged) !== "merged" || merged.a !== 1 || merged.b !== 2 || merged.constructor !== "c") throw new Error("Object.assign broken");
  const spread = { ...merged, c: 3 };
  if (spread.c !== 3 || spread.a !== 1) throw new Error("spread broken");
  const fn: any = function named() { return 1; };
  fn.displayName = "shown";
  if (fn.displayName !== "shown") throw new Error("function properties broken");
  const arr: any = [3, 1, 2];
  arr.push = function (this: any[], ...xs: any[]) { return Array.prototype.push.apply(this, xs); };
  arr.push(4);
  if (arr.join(",") !== "3,1,2,4") throw new Error("array own method broken");
}`;
    await expectFullMarks(await referenceWith(prelude, "selfCheck();"));
  }, 240_000);

  it("Array, Map, Set, WeakMap, JSON round-trips, Promise helpers, iterators and generators", async () => {
    const prelude = `
function* counter(n: number) { for (let i = 0; i < n; i++) yield i; }
async function selfCheck(): Promise<void> {
  const arr = [5, 3, 9, 1].map((x) => x * 2).filter((x) => x > 2).sort((a, b) => a - b);
  if (arr.join(",") !== "6,10,18" || !arr.includes(10) || arr.flatMap((x) => [x, x]).length !== 6 || Array.from(counter(3)).join("") !== "012") throw new Error("Array broken");
  const map = new Map<string, number>([["a", 1]]);
  map.set("b", 2);
  const set = new Set([1, 2, 2, 3]);
  const weak = new WeakMap<object, number>();
  const key = {};
  weak.set(key, 1);
  if (map.size !== 2 || [...map.keys()].join("") !== "ab" || set.size !== 3 || !set.has(3) || weak.get(key) !== 1) throw new Error("collections broken");
  const value = { a: [1, { b: "c" }], d: null, e: true, f: 1.5 };
  if (JSON.stringify(JSON.parse(JSON.stringify(value))) !== JSON.stringify(value) || JSON.stringify(structuredClone(value)) !== JSON.stringify(value)) throw new Error("JSON broken");
  const all = await Promise.all([Promise.resolve(1), new Promise((resolve) => setTimeout(() => resolve(2), 0))]);
  const settled = await Promise.allSettled([Promise.reject(new Error("x"))]);
  if (all.join(",") !== "1,2" || settled[0]?.status !== "rejected") throw new Error("Promise helpers broken");
  if (Object.entries({ x: 1 }).length !== 1 || Object.fromEntries([["y", 2]]).y !== 2 || "a-b".split("-").length !== 2 || "abc".replace(/b/, "B") !== "aBc") throw new Error("Object/String helpers broken");
}`;
    await expectFullMarks(await referenceWith(prelude, "await selfCheck();"));
  }, 240_000);

  it("Math.random gives the same sequence in every execution (module load, after each await)", async () => {
    // The harness reseeds its generator when each execution starts (seed 1 for checkout): every
    // execution must see the first draws of that sequence, however many executions share the child.
    const prelude = `${SEEDED_SEQUENCE_KIT}
const expected = seededSequence(4);
const drawn: number[] = [Math.random()];
function selfCheck(step: string): void {
  if (drawn.length < expected.length) drawn.push(Math.random());
  for (let i = 0; i < drawn.length; i++) if (drawn[i] !== expected[i]) throw new Error("Math.random drifted at draw " + i + " (" + step + "): got " + drawn.join(",") + ", expected " + expected.slice(0, drawn.length).join(","));
}`;
    const source = (await referenceWith(prelude, 'selfCheck("start");'))
      .replace(
        "user = await deps.users.getUser(req.userId);",
        'user = await deps.users.getUser(req.userId);\n    selfCheck("after getUser");',
      )
      .replace(
        "cart = await deps.carts.getCart(req.cartId);",
        'cart = await deps.carts.getCart(req.cartId);\n    selfCheck("after getCart");',
      );
    if (source.split("selfCheck(").length !== 5) throw new Error("the reference changed: update this test's anchors");
    await expectFullMarks(source);
  }, 240_000);

  it("the engine offers the language, a console, timers, queueMicrotask and structuredClone, and nothing of Node or the web", async () => {
    const prelude = `
function selfCheck(): void {
  const g = globalThis as any;
  for (const name of ["console", "setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "queueMicrotask", "structuredClone"]) {
    if (typeof g[name] === "undefined") throw new Error(name + " is missing");
  }
  const copy = structuredClone({ a: [1, { b: new Date(5) }], m: new Map([["k", new Set([1])]]) });
  if (!(copy.a[1].b instanceof Date) || copy.a[1].b.getTime() !== 5 || !copy.m.get("k").has(1)) throw new Error("structuredClone broken");
  // Nothing to read, write or fetch with, and no randomness that would make grades differ between runs.
  for (const name of ["process", "require", "Buffer", "fetch", "crypto", "TextEncoder", "URL", "std", "os", "SharedArrayBuffer", "Atomics"]) {
    if (typeof g[name] !== "undefined") throw new Error(name + " should not be a global");
  }
}`;
    await expectFullMarks(await referenceWith(prelude, "selfCheck();"));
  }, 240_000);
});
