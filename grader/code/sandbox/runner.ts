/**
 * Runs executions of one submission in a sandboxed child: one child serves every execution (starting
 * one costs tens of milliseconds, an execution about a millisecond), and is replaced by a fresh one
 * whenever an execution hangs, crashes or breaks the protocol. The caller answers each downstream
 * call (deciding faults and recording them); this class only moves validated messages.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import type { JsonValue } from "../../result";
import type { Settlement } from "../execution";
import { harnessMain, PROTOCOL_FD } from "./harness";
import { LineReader } from "./line-reader";
import { sandboxCommand, type SandboxLimits, type SandboxMode } from "./modes";
import { parseChildLine, type ChildMessage, type ParentMessage, type WireError } from "./protocol";
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
  /** Sequence numbers of failed calls whose error the handler inspected (used by the reduction). */
  inspectedSeqs: number[];
}

interface Active {
  exec: number;
  calls: number;
  onCall: (call: CallFromChild) => CallAnswer;
  finish: (run: RawRun) => void;
}

export class SandboxStartError extends Error {}

/**
 * Program text for `node -e`: the harness function and a call to it with the profile's session
 * factory. Strict mode for all of it, so a stack-trace hook in student code gets no function or
 * receiver out of a harness frame.
 */
export function harnessSource(profile: SandboxProfile): string {
  return `"use strict";(${harnessMain.toString()})({ require }, ${profile.session.toString()}, ${PROTOCOL_FD});`;
}

export class SandboxRunner {
  private child: ChildProcess | undefined;
  private reader: LineReader | undefined;
  private active: Active | undefined;
  private readyWaiter: ((error?: string) => void) | undefined;
  private stderrTail = "";
  /** Bytes the child printed on stdout in the current execution: never read, only counted. */
  private stdoutBytes = 0;
  private nextExec = 0;
  /** How many children were started (1 + restarts). */
  childrenStarted = 0;

  constructor(
    private readonly mode: SandboxMode,
    private readonly code: string,
    private readonly limits: RunnerLimits,
    /** What the student's module imports and how it is invoked; the checkout exercise by default. */
    private readonly profile: SandboxProfile = CHECKOUT_PROFILE,
  ) {}

  /** Starts the child now so a broken sandbox is reported before any execution is judged. */
  async start(): Promise<void> {
    if (this.child) return;
    const argv = sandboxCommand(this.mode, this.limits, harnessSource(this.profile));
    const [cmd, ...args] = argv;
    if (!cmd) throw new SandboxStartError("empty sandbox command");
    // An empty environment in every mode: the grader's secrets never reach the child. Protocol lines
    // come back on their own pipe (PROTOCOL_FD); stdout is the student's to print on and is only counted.
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe", "pipe"], env: {} });
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

  /** Runs one execution (for the checkout profile, `checkout(req, deps)`); never throws for anything the child does. */
  async run(req: JsonValue, onCall: (call: CallFromChild) => CallAnswer): Promise<RawRun> {
    if (!this.child) {
      try {
        await this.start();
      } catch (error) {
        return { settlement: { kind: "crashed", detail: `a fresh sandbox could not start: ${String(error)}` }, inspectedSeqs: [] };
      }
    }
    const child = this.child;
    const exec = this.nextExec++;
    this.reader?.resetBudget();
    this.stdoutBytes = 0;
    return new Promise<RawRun>((resolve) => {
      const timer = setTimeout(() => {
        if (this.active?.exec !== exec) return;
        this.active = undefined;
        this.kill(child);
        resolve({ settlement: { kind: "timeout", afterMs: this.limits.executionTimeoutMs }, inspectedSeqs: [] });
      }, this.limits.executionTimeoutMs);
      this.active = {
        exec,
        calls: 0,
        onCall,
        finish: (run) => {
          clearTimeout(timer);
          this.active = undefined;
          resolve(run);
        },
      };
      this.send({ t: "run", exec, req });
    });
  }

  async close(): Promise<void> {
    if (this.child) this.kill(this.child);
  }

  private send(message: ParentMessage): void {
    this.child?.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  private kill(child: ChildProcess | undefined): void {
    if (!child) return;
    if (this.child === child) {
      this.child = undefined;
      this.reader = undefined;
    }
    child.kill("SIGKILL");
  }

  /** The child misbehaved or died: fail whatever was waiting on it and never use it again. */
  private fail(child: ChildProcess, detail: string): void {
    if (this.child !== child && this.child !== undefined) return;
    this.kill(child);
    const waiter = this.readyWaiter;
    this.readyWaiter = undefined;
    waiter?.(detail);
    const active = this.active;
    if (active) active.finish({ settlement: { kind: "crashed", detail }, inspectedSeqs: [] });
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
    const active = this.active;
    if (message.t === "crash") {
      if (!active || message.exec === null || message.exec === active.exec) return this.fail(child, message.error);
      return this.kill(child); // a late failure of an earlier execution: this child is no longer trusted
    }
    // Messages about earlier executions (fire-and-forget calls, late answers) are ignored.
    if (!active || message.exec !== active.exec) return;
    if (message.t === "stuck") return active.finish({ settlement: { kind: "stuck" }, inspectedSeqs: [] });
    if (message.t === "call") {
      active.calls++;
      if (active.calls > this.limits.maxCallsPerExecution) {
        return this.fail(child, `made more than ${this.limits.maxCallsPerExecution} calls in one execution`);
      }
      const answer = active.onCall({ seq: message.seq, service: message.service, method: message.method, args: message.args });
      if ("violation" in answer) return this.fail(child, answer.violation);
      const reply: ParentMessage = answer.ok
        ? { t: "reply", exec: active.exec, seq: message.seq, ok: true, value: answer.value }
        : { t: "reply", exec: active.exec, seq: message.seq, ok: false, error: answer.error };
      return this.send(reply);
    }
    const settlement: Settlement = message.ok
      ? { kind: "returned", value: message.value ?? null }
      : { kind: "threw", message: message.error ?? "unknown error" };
    active.finish({ settlement, inspectedSeqs: message.inspected });
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return (lines[lines.length - 1] ?? "").slice(0, 300);
}
