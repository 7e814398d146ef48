/**
 * Runs executions of one submission in a sandboxed child: one child serves every execution (starting
 * one costs tens of milliseconds, an execution about a millisecond), and is replaced by a fresh one
 * whenever an execution hangs, crashes or breaks the protocol. The caller answers each downstream
 * call (deciding faults and recording them); this class only moves validated messages.
 *
 * Several executions may be in flight at once (up to `maxInFlight`): their messages then share each
 * pipe write, which is most of what an execution costs. When a child fails with more than one
 * execution in flight, nobody can tell whose fault it was, so each of them is run again alone in a
 * fresh child, and only an execution that fails alone is reported as failed. That is why `run` takes
 * a function that starts an attempt: every attempt answers its calls from fresh state.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { JsonValue } from "../../result";
import type { Settlement } from "../execution";
import { harnessMain, INSPECT_FD, PROTOCOL_FD } from "./harness";
import { LineReader } from "./line-reader";
import { lockdown } from "./lockdown";
import { studentRealm } from "./student-realm";
import { sandboxCommand, type SandboxLimits, type SandboxMode } from "./modes";
import { parseChildLine, type ChildMessage, type ErrorShape, type ParentMessage, type WireError } from "./protocol";
import { CHECKOUT_PROFILE, type SandboxProfile } from "./session";

export interface RunnerLimits extends SandboxLimits {
  /** Wall-clock budget of one execution; past it the child is killed. */
  executionTimeoutMs: number;
  /** Budget for starting a child and loading the module. */
  startTimeoutMs: number;
  maxCallsPerExecution: number;
  maxLineBytes: number;
  maxOutputBytesPerExecution: number;
}

export interface CallFromChild {
  seq: number;
  service: string;
  method: string;
  args: JsonValue[];
}

export type CallAnswer = { ok: true; value: JsonValue } | { ok: false; error: WireError } | { violation: string };

export interface RawRun {
  settlement: Settlement;
  /** Sequence numbers of failed calls whose kind the handler asked for (used by the reduction). */
  inspectedSeqs: number[];
}

/** Answers the calls of one attempt at an execution. */
export type CallHandler = (call: CallFromChild) => CallAnswer;

interface Job {
  req: JsonValue;
  /** Called once per attempt, so a retried execution answers its calls from fresh state. */
  startAttempt: () => CallHandler;
  resolve: (run: RawRun) => void;
  /** Run with nothing else in flight: set after a failure that could not be pinned on one execution. */
  alone: boolean;
}

interface Active {
  exec: number;
  calls: number;
  job: Job;
  onCall: CallHandler;
  timer: ReturnType<typeof setTimeout>;
  /** Seqs of this execution's failed calls whose kind the child asked for: recorded here, by us. */
  inspected: number[];
  /** Seqs of all its failed calls, reported as inspected if the child is tainted. */
  failed: number[];
}

export class SandboxStartError extends Error {}

/** What executions still waiting get when the grader closes the runner (it has stopped exploring). */
const STOPPED: Settlement = { kind: "crashed", detail: "the grader stopped this sandbox" };

/**
 * Program text for `node -e`: the harness function and a call to it with the profile's session
 * factory. Strict mode for all of it, so a stack-trace hook in student code gets no function or
 * receiver out of a harness frame.
 */
export function harnessSource(profile: SandboxProfile): string {
  const parts = [harnessMain, "{ require }", profile.session, studentRealm, lockdown, PROTOCOL_FD, INSPECT_FD];
  const [main, ...args] = parts.map(String);
  return `"use strict";(${main})(${args.join(", ")});`;
}

export class SandboxRunner {
  private child: ChildProcess | undefined;
  private reader: LineReader | undefined;
  private starting: Promise<void> | undefined;
  private readonly active = new Map<number, Active>();
  /** Executions waiting for a place; executions to run again alone go to the front. */
  private readonly waiting: Job[] = [];
  private readyWaiter: ((error?: string) => void) | undefined;
  private stderrTail = "";
  /** Bytes the child printed on stdout since the last execution started: never read, only counted. */
  private stdoutBytes = 0;
  /** Messages to the child, written together once the current batch of lines has been handled. */
  private outbox = "";
  /** What tells each failed call's kind apart, by "exec:seq", kept until the child asks (protocol.ts). */
  private readonly shapes = new Map<string, ErrorShape>();
  /**
   * The child read the kind of an error from an execution that was over. Code that keeps an error
   * alive past its execution (in a timer's closure, say) may act on what it learns in a later one, so
   * from then on every execution in this child counts as having read all its errors: the reduction
   * stays sound.
   */
  private tainted = false;
  private nextExec = 0;
  private closed = false;
  /** How many children were started (1 + restarts). */
  childrenStarted = 0;

  constructor(
    private readonly mode: SandboxMode,
    private readonly code: string,
    private readonly limits: RunnerLimits,
    /** What the student's module imports and how it is invoked; the checkout exercise by default. */
    private readonly profile: SandboxProfile = CHECKOUT_PROFILE,
    /** How many executions may share the child at once. */
    private readonly maxInFlight = 1,
  ) {}

  /** Starts the child now so a broken sandbox is reported before any execution is judged. */
  async start(): Promise<void> {
    if (this.child) return;
    const argv = sandboxCommand(this.mode, this.limits, harnessSource(this.profile));
    const [cmd, ...args] = argv;
    if (!cmd) throw new SandboxStartError("empty sandbox command");
    // An empty environment in every mode: the grader's secrets never reach the child. Protocol lines
    // come back on their own pipe (PROTOCOL_FD); stdout is the student's to print on and is only counted.
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe", "pipe", "pipe"], env: {} });
    this.shapes.clear();
    this.tainted = false;
    this.child = child;
    this.childrenStarted++;
    this.stderrTail = "";
    // One reader per child, so output a killed child still flushes never mixes with its successor's.
    const reader = new LineReader(
      this.limits.maxLineBytes,
      (line) => this.onLine(child, line),
      (why) => this.fail(child, `the sandboxed process ${why}`),
    );
    this.reader = reader;
    const channel = child.stdio[PROTOCOL_FD] as Readable | null;
    channel?.on("data", (chunk: Buffer) => reader.push(chunk, this.limits.maxOutputBytesPerExecution));
    child.stdout?.on("data", (chunk: Buffer) => {
      this.stdoutBytes += chunk.length;
      if (this.stdoutBytes > this.limits.maxOutputBytesPerExecution) this.fail(child, `the sandboxed process printed more than ${this.limits.maxOutputBytesPerExecution} bytes`);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-2000);
    });
    child.stdin?.on("error", () => undefined);
    child.on("error", (error) => this.fail(child, `could not start: ${error.message}`));
    child.on("exit", (code, signal) => this.fail(child, `exited (${signal ?? `code ${code}`})${this.stderrTail ? `: ${lastLine(this.stderrTail)}` : ""}`));

    const ready = new Promise<string | undefined>((resolve) => {
      this.readyWaiter = resolve;
    });
    const timer = setTimeout(() => this.fail(child, `did not start within ${this.limits.startTimeoutMs} ms`), this.limits.startTimeoutMs);
    this.send({ t: "load", code: this.code });
    const problem = await ready;
    clearTimeout(timer);
    if (problem) throw new SandboxStartError(problem);
  }

  /**
   * Runs one execution (for the checkout profile, `checkout(req, deps)`); never throws for anything
   * the child does. `startAttempt` is called for each attempt and returns what answers its calls.
   */
  run(req: JsonValue, startAttempt: () => CallHandler): Promise<RawRun> {
    if (this.closed) return Promise.resolve({ settlement: STOPPED, inspectedSeqs: [] });
    return new Promise<RawRun>((resolve) => {
      this.waiting.push({ req, startAttempt, resolve, alone: false });
      this.pump();
    });
  }

  /** Stops the child for good; executions still waiting or in flight come back as crashed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.child) this.kill(this.child);
    for (const active of [...this.active.values()]) {
      clearTimeout(active.timer);
      active.job.resolve({ settlement: STOPPED, inspectedSeqs: [] });
    }
    this.active.clear();
    for (const job of this.waiting.splice(0)) job.resolve({ settlement: STOPPED, inspectedSeqs: [] });
  }

  /** Starts waiting executions while there is room; an execution marked `alone` waits for an empty child. */
  private pump(): void {
    while (this.waiting.length > 0 && !this.closed) {
      const next = this.waiting[0] as Job;
      const runningAlone = [...this.active.values()].some((a) => a.job.alone);
      if (runningAlone || (next.alone && this.active.size > 0) || this.active.size >= this.maxInFlight) return;
      if (!this.child) return this.startThenPump();
      this.waiting.shift();
      this.launch(next);
    }
  }

  private startThenPump(): void {
    if (this.starting) return;
    this.starting = this.start().then(
      () => {
        this.starting = undefined;
        if (this.closed) return void this.kill(this.child);
        this.pump();
      },
      (error: unknown) => {
        this.starting = undefined;
        // Nothing can run without a child: every waiting execution fails with the reason.
        const detail = `a fresh sandbox could not start: ${String(error)}`;
        for (const job of this.waiting.splice(0)) job.resolve({ settlement: { kind: "crashed", detail }, inspectedSeqs: [] });
      },
    );
  }

  private launch(job: Job): void {
    const child = this.child;
    if (!child) throw new Error("launch needs a child");
    const exec = this.nextExec++;
    this.reader?.resetBudget();
    this.stdoutBytes = 0;
    const timer = setTimeout(() => this.onTimeout(child, exec), this.limits.executionTimeoutMs);
    this.active.set(exec, { exec, calls: 0, job, onCall: job.startAttempt(), timer, inspected: [], failed: [] });
    this.send({ t: "run", exec, req: job.req });
  }

  private finish(active: Active, run: RawRun): void {
    clearTimeout(active.timer);
    this.active.delete(active.exec);
    active.job.resolve(run);
    this.pump();
  }

  private onTimeout(child: ChildProcess, exec: number): void {
    const active = this.active.get(exec);
    if (!active || this.child !== child) return;
    if (this.active.size > 1) return this.fail(child, `an execution did not settle within ${this.limits.executionTimeoutMs} ms`);
    this.kill(child);
    this.finish(active, { settlement: { kind: "timeout", afterMs: this.limits.executionTimeoutMs }, inspectedSeqs: [] });
  }

  private send(message: ParentMessage): void {
    // Replies to a batch of lines leave in one write once the batch is handled.
    if (this.outbox === "") queueMicrotask(() => this.flush());
    this.outbox += `${JSON.stringify(message)}\n`;
  }

  private flush(): void {
    const text = this.outbox;
    this.outbox = "";
    if (text) this.child?.stdin?.write(text);
  }

  private kill(child: ChildProcess | undefined): void {
    if (!child) return;
    if (this.child === child) {
      this.child = undefined;
      this.reader = undefined;
      this.outbox = "";
    }
    child.kill("SIGKILL");
  }

  /**
   * The child misbehaved or died: never use it again. A lone execution in flight gets the failure;
   * with several, each runs again alone, so only the one that fails alone is blamed.
   */
  private fail(child: ChildProcess, detail: string): void {
    if (this.child !== child && this.child !== undefined) return;
    this.kill(child);
    const waiter = this.readyWaiter;
    this.readyWaiter = undefined;
    waiter?.(detail);
    const inFlight = [...this.active.values()];
    if (inFlight.length === 1) return this.finish(inFlight[0] as Active, { settlement: { kind: "crashed", detail }, inspectedSeqs: [] });
    for (const active of inFlight) {
      clearTimeout(active.timer);
      this.active.delete(active.exec);
    }
    this.waiting.unshift(...inFlight.sort((a, b) => a.exec - b.exec).map((a) => ({ ...a.job, alone: true })));
    this.pump();
  }

  private onLine(child: ChildProcess, line: string): void {
    if (this.child !== child) return;
    const message = parseChildLine(line);
    if (!message) return this.fail(child, `sent something that is not a protocol message: ${JSON.stringify(line.slice(0, 80))}`);
    this.dispatch(child, message);
  }

  private dispatch(child: ChildProcess, message: ChildMessage): void {
    if (message.t === "ready") {
      const waiter = this.readyWaiter;
      this.readyWaiter = undefined;
      waiter?.(undefined);
      return;
    }
    // A crash, even one reported for an execution that is over, means this child is no longer trusted.
    if (message.t === "crash") return this.fail(child, message.error);
    if (message.t === "inspect") return this.answerInspect(child, message.exec, message.seq);
    // Messages about executions that are over (fire-and-forget calls, late answers) are ignored.
    const active = this.active.get(message.exec);
    if (!active) return;
    if (message.t === "stuck") return this.finish(active, { settlement: { kind: "stuck" }, inspectedSeqs: [] });
    if (message.t === "call") {
      active.calls++;
      if (active.calls > this.limits.maxCallsPerExecution) {
        return this.fail(child, `made more than ${this.limits.maxCallsPerExecution} calls in one execution`);
      }
      const answer = active.onCall({ seq: message.seq, service: message.service, method: message.method, args: message.args });
      if ("violation" in answer) return this.fail(child, answer.violation);
      if (!answer.ok) {
        this.shapes.set(`${active.exec}:${message.seq}`, shapeOf(answer.error));
        active.failed.push(message.seq);
      }
      const reply: ParentMessage = answer.ok
        ? { t: "reply", exec: active.exec, seq: message.seq, ok: true, value: answer.value }
        : { t: "reply", exec: active.exec, seq: message.seq, ok: false, error: { message: answer.error.message } };
      return this.send(reply);
    }
    const settlement: Settlement = message.ok
      ? { kind: "returned", value: message.value ?? null }
      : { kind: "threw", message: message.error ?? "unknown error" };
    this.finish(active, { settlement, inspectedSeqs: this.tainted ? active.failed : active.inspected });
  }

  /**
   * The child is blocked until this answer arrives. An execution still in flight has the inspection
   * recorded first; a late one (a fire-and-forget read after the response) is answered all the same.
   */
  private answerInspect(child: ChildProcess, exec: number, seq: number): void {
    const shape = this.shapes.get(`${exec}:${seq}`);
    if (!shape) return this.fail(child, `asked about call ${seq} of execution ${exec}, which did not fail`);
    const active = this.active.get(exec);
    if (active) active.inspected.push(seq);
    else this.tainted = true;
    (child.stdio[INSPECT_FD] as Writable | null)?.write(`${JSON.stringify(shape)}\n`);
  }
}

function shapeOf(error: WireError): ErrorShape {
  return { kind: error.kind, status: error.status, retryable: error.retryable };
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return (lines[lines.length - 1] ?? "").slice(0, 300);
}
