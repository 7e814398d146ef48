/**
 * The harness that runs inside the sandbox, next to the student's code. It is shipped to the child
 * as the text of `harnessMain` (run with `node -e`), so it must stay self-contained: no imports, no
 * references to anything outside the function. Node's `require` comes in from the program text and
 * stays in here; before the student's module loads, `student-realm.ts` strips and freezes the global
 * object. The harness is not trusted: it forwards each call to the grader, asks the grader for an
 * error's kind when the code reads it, and relays the student's answer; the grader checks all of it.
 *
 * What differs between exercises (the module students import, what `deps` holds, which export is
 * called and how) is a session factory (see ./session.ts), shipped as text next to the harness and
 * called once per execution.
 */
import type { SessionFactory } from "./session";
import type { StudentRealm } from "./student-realm";

/** How the harness reaches Node: only the harness gets these; student code never sees them. */
export interface HarnessNode {
  require: (id: string) => unknown;
}

/** The child's end of the protocol channel: parent→child lines on stdin, child→parent lines on this fd. */
export const PROTOCOL_FD = 3;
/** Where the grader answers `inspect` requests: one line each, read synchronously (see protocol.ts). */
export const INSPECT_FD = 4;

export function harnessMain(
  node: HarnessNode,
  makeSession: SessionFactory,
  makeRealm: (node: HarnessNode) => StudentRealm,
  lockdown: (extraRoots: unknown[]) => void,
  protocolFd: number,
  inspectFd: number,
): void {
  "use strict";
  // Strict mode is what keeps stack frames from handing student code the harness's functions and
  // their receivers. `node -e` rewrites some programs (one that names Node's web-cryptography global
  // is wrapped in a function), which would demote a directive at the top, so check rather than trust.
  if ((function (this: unknown) { return this; })() !== undefined) throw new Error("the harness must run in strict mode");
  // Captured before any student code runs, so later tampering with globals cannot reach them.
  const proc = globalThis.process;
  const fs = node.require("fs") as { writeSync(fd: number, data: string): number; readSync(fd: number, buffer: Uint8Array): number };
  const vm = node.require("vm") as { Script: new (code: string, options: { filename: string }) => { runInThisContext(): unknown } };
  const writeSync = fs.writeSync;
  const readSync = fs.readSync;
  const answerBytes = new Uint8Array(4096);
  const decoder = new TextDecoder();
  const decode = decoder.decode.bind(decoder);
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const activeResources = proc.getActiveResourcesInfo.bind(proc);
  const setIntervalSafe = setInterval;
  const clearIntervalSafe = clearInterval;
  const setImmediateSafe = setImmediate;
  const defineProperty = Object.defineProperty;
  const objectKeys = Object.keys;
  const createObject = Object.create;
  const realm = makeRealm(node);

  /**
   * Protocol lines go out on their own fd, which no object left in reach of student code writes to:
   * whatever it manages to print on stdout is not read as protocol. Lines written while handling one
   * batch of replies (and the student code they resume) leave together in one write.
   */
  let outbox = "";
  function write(line: string): void {
    if (outbox === "") setImmediateSafe(flush);
    outbox += line;
    // Code that never yields (a loop of calls) still gets its lines out, so the grader can stop it.
    if (outbox.length > 65536) flush();
  }
  function flush(): void {
    // Written as a string: no Buffer of ours is ever in reach of a getter planted on a prototype.
    const text = outbox;
    outbox = "";
    if (text) writeSync(protocolFd, text);
  }

  /**
   * Copies the message's own fields onto a prototype-less object before serializing it, so a toJSON
   * planted on Object.prototype cannot turn one message (say a call) into another (a forged "done").
   */
  function send(message: Record<string, unknown>): void {
    let line: string;
    try {
      const safe = createObject(null) as Record<string, unknown>;
      const keys = objectKeys(message);
      for (let i = 0; i < keys.length; i++) safe[keys[i] as string] = message[keys[i] as string];
      line = stringify(safe);
    } catch {
      line = stringify({ t: "crash", exec: null, error: "the harness could not encode a message" });
    }
    write(line + "\n");
  }

  function describe(error: unknown): string {
    try {
      if (error instanceof Error) return String(error.name) + ": " + String(error.message).slice(0, 500);
      return String(error).slice(0, 500);
    } catch {
      return "an unprintable value";
    }
  }

  class ServiceError extends Error {
    kind = "";
    status = 0;
    retryable = false;
  }
  Object.defineProperty(ServiceError.prototype, "name", { value: "ServiceError" });

  interface Current {
    exec: number;
    seq: number;
    /** Calls waiting for the grader's reply, by seq (prototype-less, like everything the harness keys). */
    pending: Record<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>;
    pendingCount: number;
    idleChecks: number;
  }
  /** Executions in flight, by exec: the grader may start several before the first is done. */
  const runs = createObject(null) as Record<number, Current>;
  let inFlight = 0;
  const onlyRun = (): Current | null => {
    if (inFlight !== 1) return null;
    for (const exec of objectKeys(runs)) return runs[+exec] ?? null;
    return null;
  };
  type ModuleFactory = (req: (id: string) => unknown, module: { exports: Record<string, unknown> }, exports: Record<string, unknown>) => void;
  /** Set by the one `load`: a second one (sent by nobody honest) is ignored. */
  let factory: ModuleFactory | null = null;

  /**
   * Kind, status and retryable are what tell fault kinds apart (the message never does), and they are
   * not in the reply. The first read of any of them asks the grader, which records that this execution
   * looked at this error before it answers; until then they exist nowhere in this process, so no
   * student code can learn them unrecorded. The answer comes straight back, so blocking is fine.
   */
  function askShape(exec: number, seq: number): Record<string, unknown> {
    flush();
    writeSync(protocolFd, '{"t":"inspect","exec":' + (exec | 0) + ',"seq":' + (seq | 0) + "}\n");
    let text = "";
    while (text.indexOf("\n") < 0) {
      let read = 0;
      try {
        read = readSync(inspectFd, answerBytes);
      } catch (error) {
        if ((error as { code?: unknown }).code === "EAGAIN") continue;
        throw error;
      }
      if (read === 0) throw new Error("the grader closed the inspection channel");
      text += decode(answerBytes.subarray(0, read));
    }
    return parse(text) as Record<string, unknown>;
  }

  const SHAPE_FIELDS = ["kind", "status", "retryable"];
  function makeError(seq: number, message: string, run: Current): ServiceError {
    const error = new ServiceError(message);
    let shape: Record<string, unknown> | null = null;
    for (let i = 0; i < SHAPE_FIELDS.length; i++) {
      const key = SHAPE_FIELDS[i] as string;
      defineProperty(error, key, {
        enumerable: true,
        configurable: true,
        get() {
          if (!shape) shape = askShape(run.exec, seq);
          return shape[key];
        },
      });
    }
    return error;
  }

  /** One call to the grader: it answers (or fails) it; the execution waits on the reply. */
  function callGrader(run: Current, service: string, method: string, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const seq = run.seq++;
      run.pending[seq] = { resolve, reject };
      run.pendingCount++;
      let safeArgs: unknown;
      try {
        safeArgs = parse(stringify(args.slice(0, 10)) ?? "[]");
      } catch {
        safeArgs = [];
      }
      send({ t: "call", exec: run.exec, seq, service, method, args: safeArgs });
    });
  }

  /** The "done" line, put together by hand so no toJSON planted on a prototype can reshape it. */
  function sendDone(run: Current, ok: boolean, field: "value" | "error", text: string, isJson = false): void {
    const payload = (isJson ? text : stringify(text)) ?? "null";
    write('{"t":"done","exec":' + (run.exec | 0) + ',"ok":' + (ok ? "true" : "false") + ',"' + field + '":' + payload + "}\n");
  }

  /** Takes the execution out of flight; false when it already was (it finished or was reported stuck). */
  function retire(run: Current): boolean {
    if (runs[run.exec] !== run) return false;
    delete runs[run.exec];
    inFlight--;
    if (inFlight === 0) stopWatching();
    return true;
  }

  function finish(run: Current, ok: boolean, payload: unknown): void {
    if (!retire(run)) return;
    if (!ok) return sendDone(run, false, "error", describe(payload));
    let valueJson: string;
    try {
      valueJson = stringify(parse(stringify(payload) ?? "null"));
    } catch {
      return sendDone(run, false, "error", "the response could not be serialized");
    }
    sendDone(run, true, "value", valueJson, true);
  }

  /**
   * A handler whose promise waits on nothing (no call of its own in flight, no timer, no I/O but our
   * own pipes) can never settle; saying so at once spares the grader a wall-clock timeout. Only a hint:
   * the grader's own deadline still applies, and a false report could only hurt the submission.
   */
  let watch: ReturnType<typeof setInterval> | null = null;
  function startWatching(): void {
    if (watch) return;
    watch = setIntervalSafe(() => {
      const busy = activeResources().filter((r) => r !== "PipeWrap" && r !== "TTYWrap" && r !== "Immediate").length > 0;
      for (const exec of objectKeys(runs)) {
        const run = runs[+exec];
        if (!run) continue;
        run.idleChecks = busy || run.pendingCount > 0 ? 0 : run.idleChecks + 1;
        if (run.idleChecks >= 2 && retire(run)) send({ t: "stuck", exec: run.exec });
      }
    }, 25);
    watch.unref();
  }
  function stopWatching(): void {
    if (watch) clearIntervalSafe(watch);
    watch = null;
  }

  function start(exec: number, req: unknown): void {
    const run: Current = { exec, seq: 0, pending: createObject(null) as Current["pending"], pendingCount: 0, idleChecks: 0 };
    runs[exec] = run;
    inFlight++;
    startWatching();
    try {
      const session = makeSession({ req, call: (service, method, args) => callGrader(run, service, method, args), ServiceError });
      const requireFor = (id: string): unknown => {
        if (id === session.moduleName) return session.provided;
        throw new Error("only " + session.moduleName + " can be imported");
      };
      // A fresh module instance per execution, and its own Math.random: nothing leaks between executions.
      realm.enter(typeof session.seed === "number" ? session.seed : 1, () => {
        const module: { exports: Record<string, unknown> } = { exports: {} };
        if (!factory) throw new Error("no module loaded");
        factory(requireFor, module, module.exports);
        Promise.resolve()
          .then(() => session.invoke(module.exports))
          .then(
            (value) => finish(run, true, value),
            (error) => finish(run, false, error),
          );
      });
    } catch (error) {
      finish(run, false, error);
    }
  }

  function onMessage(message: { t?: string; exec?: number; seq?: number; ok?: boolean; value?: unknown; error?: { message: string }; code?: string; req?: unknown }): void {
    if (message.t === "load" && typeof message.code === "string" && factory === null) {
      // The transpiled file is one function expression; evaluating it defines the factory and runs
      // none of the student's code. A Script has no dynamic import(), so that route stays closed.
      let candidate: unknown;
      try {
        // Not at start: `node -e` puts `module` back on the global object after this program returns.
        realm.seal(lockdown, [ServiceError]);
        candidate = new vm.Script(message.code, { filename: "solution.js" }).runInThisContext();
      } catch (error) {
        return send({ t: "crash", exec: null, error: "loading the module failed: " + describe(error) });
      }
      if (typeof candidate !== "function") return send({ t: "crash", exec: null, error: "the module has no factory" });
      factory = candidate as ModuleFactory;
      send({ t: "ready" });
    } else if (message.t === "run" && typeof message.exec === "number") {
      start(message.exec, message.req);
    } else if (message.t === "reply" && typeof message.exec === "number" && typeof message.seq === "number") {
      const run = runs[message.exec];
      const waiter = run ? run.pending[message.seq] : undefined;
      if (!run || !waiter) return;
      delete run.pending[message.seq];
      run.pendingCount--;
      if (message.ok) waiter.resolve(message.value);
      else if (message.error) waiter.reject(makeError(message.seq, String(message.error.message), run));
    }
  }

  let buffered = "";
  proc.stdin.setEncoding("utf8");
  proc.stdin.on("data", (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
      try {
        onMessage(parse(line));
      } catch (error) {
        send({ t: "crash", exec: onlyRun()?.exec ?? null, error: "harness: " + describe(error) });
      }
    }
  });
  proc.stdin.on("end", () => proc.exit(0));
  // Unhandled failures in student code (a fire-and-forget promise) would kill a real server too. With
  // several executions in flight nobody knows whose it was; the grader runs each of them again alone.
  function crashAndExit(what: string, error: unknown): void {
    send({ t: "crash", exec: onlyRun()?.exec ?? null, error: what + ": " + describe(error) });
    flush();
    proc.exit(70);
  }
  proc.on("uncaughtException", (error) => crashAndExit("uncaught exception", error));
  proc.on("unhandledRejection", (error) => crashAndExit("unhandled rejection", error));
}
