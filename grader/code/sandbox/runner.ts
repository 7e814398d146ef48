/**
 * Runs executions of one submission in a sandboxed engine host (engine-host.ts), leased from the pool
 * for the length of the grading: the host loads the submission into a fresh WebAssembly instance, and
 * runs each execution in a QuickJS runtime of its own. The caller answers each downstream call
 * (deciding faults and recording them); this class only moves validated messages.
 *
 * Several executions may be in flight at once (up to `maxInFlight`): their messages then share each
 * pipe write, which is most of what an execution costs. The host reports each execution's end itself
 * (done, timed out, stuck, crashed). Should the host itself fail with more than one execution in
 * flight, nobody can tell whose fault it was, so each of them is run again alone in a fresh host, and
 * only an execution that fails alone is reported as failed. That is why `run` takes a function that
 * starts an attempt: every attempt answers its calls from fresh state.
 */
import type { JsonValue } from "../../result";
import type { Settlement } from "../execution";
import { sessionSource } from "./engine-bundle";
import { acquireHost, releaseHost, type EngineHost } from "./engine-pool";
import type { SandboxLimits, SandboxMode } from "./modes";
import { parseChildLine, type ChildMessage, type ErrorShape, type ParentMessage, type WireError } from "./protocol";
import { CHECKOUT_PROFILE, type SandboxProfile } from "./session";

export interface RunnerLimits extends SandboxLimits {
  /** Wall-clock budget of one execution; the host times it out, and is killed if it does not. */
  executionTimeoutMs: number;
  /** Budget for starting a host (when none is idle) and loading the module. */
  startTimeoutMs: number;
  engineMemoryMb: number;
  maxCallsPerExecution: number;
  maxLineBytes: number;
  maxOutputBytesPerGrading: number;
  maxCallArgsBytes: number;
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
  /** Seqs of this execution's failed calls whose kind the host asked for: recorded here, by us. */
  inspected: number[];
  /** Seqs of all its failed calls, reported as inspected if the host is tainted. */
  failed: number[];
}

export class SandboxStartError extends Error {}

/** What executions still waiting get when the grader closes the runner (it has stopped exploring). */
const STOPPED: Settlement = { kind: "crashed", detail: "the grader stopped this sandbox" };

/**
 * How much longer than an execution's own budget the grader waits before it kills the host: the host
 * times executions out itself, so this only catches a host that stopped answering.
 */
const HOST_GRACE_MS = 2000;

export class SandboxRunner {
  private host: EngineHost | undefined;
  private starting: Promise<void> | undefined;
  private readonly active = new Map<number, Active>();
  /** Executions waiting for a place; executions to run again alone go to the front. */
  private readonly waiting: Job[] = [];
  private readyWaiter: ((error?: string) => void) | undefined;
  /** Messages to the host, written together once the current batch of lines has been handled. */
  private outbox = "";
  /** What tells each failed call's kind apart, by "exec:seq", kept until the host asks (protocol.ts). */
  private readonly shapes = new Map<string, ErrorShape>();
  /**
   * The host asked for the kind of an error from an execution that was over. An honest host cannot
   * (an execution's engine is gone when it ends), so from then on every execution on this host counts
   * as having read all its errors: the reduction stays sound whatever the host does.
   */
  private tainted = false;
  private nextExec = 0;
  private closed = false;
  /** Protocol bytes this grading has received, over every host it leased. */
  private bytesReceived = 0;
  /** Why every execution from now on fails at once: the grading sent more than it may. */
  private exhausted: string | undefined;
  /** How many hosts this grading leased: 1, plus one for each that failed. */
  hostsLeased = 0;

  constructor(
    private readonly mode: SandboxMode,
    private readonly code: string,
    private readonly limits: RunnerLimits,
    /** What the student's module imports and how it is invoked; the checkout exercise by default. */
    private readonly profile: SandboxProfile = CHECKOUT_PROFILE,
    /** How many executions may share the host at once. */
    private readonly maxInFlight = 1,
  ) {}

  /**
   * Leases a host and loads the submission now, so a broken sandbox is reported before any execution
   * is judged. A leased host that dies before it is ready (an idle host can die between gradings) is
   * replaced once by a fresh one.
   */
  async start(): Promise<void> {
    try {
      await this.startOnce();
    } catch (error) {
      if (!(error instanceof SandboxStartError) || this.closed) throw error;
      await this.startOnce();
    }
  }

  private async startOnce(): Promise<void> {
    if (this.host) return;
    const host = acquireHost(this.mode, this.limits);
    this.shapes.clear();
    this.tainted = false;
    this.host = host;
    this.hostsLeased++;
    host.lease({ onLine: (line) => this.onLine(host, line), onFailure: (why) => this.fail(host, why) });
    const ready = new Promise<string | undefined>((resolve) => {
      this.readyWaiter = resolve;
    });
    const timer = setTimeout(() => this.fail(host, `did not start within ${this.limits.startTimeoutMs} ms`), this.limits.startTimeoutMs);
    const limits = { memoryBytes: this.limits.engineMemoryMb * 1024 * 1024, timeoutMs: this.limits.executionTimeoutMs, maxCallArgsBytes: this.limits.maxCallArgsBytes };
    this.send({ t: "load", code: this.code, session: sessionSource(this.profile.session), limits });
    const problem = await ready;
    clearTimeout(timer);
    if (problem) throw new SandboxStartError(problem);
  }

  /**
   * Runs one execution (for the checkout profile, `checkout(req, deps)`); never throws for anything
   * the host does. `startAttempt` is called for each attempt and returns what answers its calls.
   */
  run(req: JsonValue, startAttempt: () => CallHandler): Promise<RawRun> {
    if (this.closed) return Promise.resolve({ settlement: STOPPED, inspectedSeqs: [] });
    if (this.exhausted) return Promise.resolve({ settlement: { kind: "crashed", detail: this.exhausted }, inspectedSeqs: [] });
    return new Promise<RawRun>((resolve) => {
      this.waiting.push({ req, startAttempt, resolve, alone: false });
      this.pump();
    });
  }

  /**
   * Ends the grading; executions still waiting or in flight come back as crashed. A host with nothing
   * in flight goes back to the pool, its submission unloaded; one still busy is killed.
   */
  async close(): Promise<void> {
    this.closed = true;
    const host = this.host;
    if (host && this.active.size === 0 && !this.starting && this.readyWaiter === undefined) {
      this.flush();
      this.host = undefined;
      void host.unload(HOST_GRACE_MS).then((clean) => clean && releaseHost(this.mode, this.limits, host));
    } else if (host) this.kill(host);
    for (const active of [...this.active.values()]) {
      clearTimeout(active.timer);
      active.job.resolve({ settlement: STOPPED, inspectedSeqs: [] });
    }
    this.active.clear();
    for (const job of this.waiting.splice(0)) job.resolve({ settlement: STOPPED, inspectedSeqs: [] });
  }

  /** Starts waiting executions while there is room; an execution marked `alone` waits for an empty host. */
  private pump(): void {
    while (this.waiting.length > 0 && !this.closed) {
      const next = this.waiting[0] as Job;
      const runningAlone = [...this.active.values()].some((a) => a.job.alone);
      if (runningAlone || (next.alone && this.active.size > 0) || this.active.size >= this.maxInFlight) return;
      if (!this.host) return this.startThenPump();
      this.waiting.shift();
      this.launch(next);
    }
  }

  private startThenPump(): void {
    if (this.starting) return;
    this.starting = this.start().then(
      () => {
        this.starting = undefined;
        if (this.closed) return void this.kill(this.host);
        this.pump();
      },
      (error: unknown) => {
        this.starting = undefined;
        // Nothing can run without a host: every waiting execution fails with the reason.
        const detail = `a fresh sandbox could not start: ${String(error)}`;
        for (const job of this.waiting.splice(0)) job.resolve({ settlement: { kind: "crashed", detail }, inspectedSeqs: [] });
      },
    );
  }

  private launch(job: Job): void {
    const host = this.host;
    if (!host) throw new Error("launch needs a host");
    const exec = this.nextExec++;
    const timer = setTimeout(() => this.onTimeout(host, exec), this.limits.executionTimeoutMs + HOST_GRACE_MS);
    this.active.set(exec, { exec, calls: 0, job, onCall: job.startAttempt(), timer, inspected: [], failed: [] });
    this.send({ t: "run", exec, req: job.req });
  }

  private finish(active: Active, run: RawRun): void {
    clearTimeout(active.timer);
    this.active.delete(active.exec);
    active.job.resolve(run);
    this.pump();
  }

  /**
   * The host did not end an execution it should have timed out itself: it is not answering. With
   * others in flight, any of them may be what keeps it busy, so none is blamed yet.
   */
  private onTimeout(host: EngineHost, exec: number): void {
    const active = this.active.get(exec);
    if (!active || this.host !== host) return;
    this.fail(host, `an execution did not settle within ${this.limits.executionTimeoutMs + HOST_GRACE_MS} ms`, this.active.size === 1 ? active : undefined);
  }

  private send(message: ParentMessage): void {
    // Replies to a batch of lines leave in one write once the batch is handled.
    if (this.outbox === "") queueMicrotask(() => this.flush());
    this.outbox += `${JSON.stringify(message)}\n`;
  }

  private flush(): void {
    const text = this.outbox;
    this.outbox = "";
    if (text) this.host?.send(text);
  }

  private kill(host: EngineHost | undefined): void {
    if (!host) return;
    if (this.host === host) {
      this.host = undefined;
      this.outbox = "";
    }
    host.kill();
  }

  /**
   * The host misbehaved or died: never use it again. The execution it was busy with when that is known
   * (`culprit`), or else the only one in flight if it already ran alone, gets the failure; every other
   * one in flight runs again alone in a fresh host, so only an execution that fails alone is blamed.
   * `"nobody"`: the failure is known to be no execution's in flight (a host can fail after an execution
   * has ended, freeing what that execution left behind).
   */
  private fail(host: EngineHost, detail: string, culprit?: Active | "nobody"): void {
    if (this.host !== host && this.host !== undefined) return;
    this.kill(host);
    const waiter = this.readyWaiter;
    this.readyWaiter = undefined;
    waiter?.(detail);
    const inFlight = [...this.active.values()];
    const blamed = culprit === "nobody" ? undefined : (culprit ?? (inFlight.length === 1 && inFlight[0]?.job.alone ? inFlight[0] : undefined));
    if (blamed) this.finish(blamed, { settlement: { kind: "crashed", detail }, inspectedSeqs: [] });
    const others = inFlight.filter((a) => a !== blamed);
    for (const active of others) {
      clearTimeout(active.timer);
      this.active.delete(active.exec);
    }
    this.waiting.unshift(...others.sort((a, b) => a.exec - b.exec).map((a) => ({ ...a.job, alone: true })));
    this.pump();
  }

  private onLine(host: EngineHost, line: string): void {
    if (this.host !== host) return;
    this.bytesReceived += line.length + 1;
    if (this.bytesReceived > this.limits.maxOutputBytesPerGrading) return this.exhaust(host);
    const message = parseChildLine(line);
    if (!message) return this.fail(host, `sent something that is not a protocol message: ${JSON.stringify(line.slice(0, 80))}`);
    this.dispatch(host, message);
  }

  private dispatch(host: EngineHost, message: ChildMessage): void {
    if (message.t === "ready") {
      const waiter = this.readyWaiter;
      this.readyWaiter = undefined;
      waiter?.(undefined);
      return;
    }
    if (message.t === "unloaded") return;
    // A crash of the host itself, even one reported for an execution that is over: no longer trusted.
    // One the host pins on an execution is that execution's; one pinned on an execution that is over
    // (freeing what it left behind) is no other's, so everything in flight runs again alone.
    if (message.t === "crash") {
      if (message.exec === null) return this.fail(host, message.error);
      return this.fail(host, message.error, this.active.get(message.exec) ?? "nobody");
    }
    if (message.t === "inspect") return this.answerInspect(host, message.exec, message.seq);
    // Messages about executions that are over (late answers) are ignored.
    const active = this.active.get(message.exec);
    if (!active) return;
    if (message.t === "stuck") return this.finish(active, { settlement: { kind: "stuck" }, inspectedSeqs: [] });
    if (message.t === "timeout") {
      // The host runs one execution's code at a time: one that spins holds up the others in flight
      // until they too run out of time. Only a timeout alone is blamed; the others run again alone.
      if (!active.job.alone && this.maxInFlight > 1) return this.retryAlone(active);
      return this.finish(active, { settlement: { kind: "timeout", afterMs: this.limits.executionTimeoutMs }, inspectedSeqs: this.inspectedBy(active) });
    }
    if (message.t === "crashed") return this.finish(active, { settlement: { kind: "crashed", detail: message.error }, inspectedSeqs: this.inspectedBy(active) });
    if (message.t === "call") {
      active.calls++;
      if (active.calls > this.limits.maxCallsPerExecution) {
        return this.fail(host, `made more than ${this.limits.maxCallsPerExecution} calls in one execution`, active);
      }
      // guest.ts refuses such a call before it leaves the engine; this is for a host that did not.
      if (JSON.stringify(message.args).length > this.limits.maxCallArgsBytes) {
        return this.fail(host, `passed more than ${this.limits.maxCallArgsBytes} bytes of arguments to ${message.service}.${message.method}`, active);
      }
      const answer = active.onCall({ seq: message.seq, service: message.service, method: message.method, args: message.args });
      if ("violation" in answer) return this.fail(host, answer.violation, active);
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
    this.finish(active, { settlement, inspectedSeqs: this.inspectedBy(active) });
  }

  /**
   * The grading sent more than it may (each call's record is kept until the grading ends): it stops
   * here. Every execution in flight, waiting or still to come fails at once with the reason, so the
   * grade says what happened instead of the server running out of memory.
   */
  private exhaust(host: EngineHost): void {
    const limit = this.limits.maxOutputBytesPerGrading;
    const size = limit >= 1 << 20 ? `${Math.floor(limit / (1 << 20))} MiB` : `${Math.floor(limit / 1024)} KiB`;
    const detail = `the code sent the grader more than ${size} in one grading`;
    this.exhausted = detail;
    this.kill(host);
    const crashed: RawRun = { settlement: { kind: "crashed", detail }, inspectedSeqs: [] };
    for (const active of [...this.active.values()]) {
      clearTimeout(active.timer);
      active.job.resolve(crashed);
    }
    this.active.clear();
    for (const job of this.waiting.splice(0)) job.resolve(crashed);
  }

  private retryAlone(active: Active): void {
    clearTimeout(active.timer);
    this.active.delete(active.exec);
    this.waiting.unshift({ ...active.job, alone: true });
    this.pump();
  }

  private inspectedBy(active: Active): number[] {
    return this.tainted ? active.failed : active.inspected;
  }

  /**
   * The host is blocked until this answer arrives. An execution still in flight has the inspection
   * recorded first; a late one is answered all the same, and taints the host (see `tainted`).
   */
  private answerInspect(host: EngineHost, exec: number, seq: number): void {
    const shape = this.shapes.get(`${exec}:${seq}`);
    if (!shape) return this.fail(host, `asked about call ${seq} of execution ${exec}, which did not fail`);
    const active = this.active.get(exec);
    if (active) active.inspected.push(seq);
    else this.tainted = true;
    host.answerInspect(`${JSON.stringify(shape)}\n`);
  }
}

function shapeOf(error: WireError): ErrorShape {
  return { kind: error.kind, status: error.status, retryable: error.retryable };
}
