/**
 * Runs executions of one submission in a sandboxed engine host (engine-host.ts), leased from the pool
 * for the length of the grading: the host loads the submission into a fresh WebAssembly instance, and
 * starts each execution from a copy of the engine's memory as it was after loading (engine-snapshot.ts). The caller answers each downstream call
 * (deciding faults and recording them); this class only moves validated messages.
 *
 * Several executions may be in flight at once (up to `maxInFlight`): their messages then share each
 * pipe write, which is most of what an execution costs. The host reports each execution's end itself
 * (done, timed out, stuck, crashed). Should the host itself fail with more than one execution in
 * flight, nobody can tell whose fault it was, so each of them is run again alone in a fresh host, and
 * only an execution that fails alone is reported as failed. That is why `run` takes a function that
 * starts an attempt: every attempt answers its calls from fresh state.
 */
import type { JsonValue } from "../result";
import type { Settlement } from "./settlement";
import { sessionSource } from "./session-source";
import { acquireHost, releaseHost, type EngineHost } from "./engine-pool";
import type { SandboxLimits, SandboxMode } from "./modes";
import type { EngineLimits } from "./engine-host";
import { parseChildLine, type ChildMessage, type ErrorField, type ParentMessage, type WireError } from "./protocol";
import { CHECKOUT_PROFILE, type SandboxProfile } from "./session";

export interface RunnerLimits extends SandboxLimits {
  /** Budget of one execution on its simulated clock (see engine-host.ts). */
  executionTimeoutMs: number;
  /** Work one execution may do, in engine interrupt ticks. */
  maxWorkTicks: number;
  /** Simulated time a downstream call takes. */
  callLatencyMs: number;
  /**
   * Real time an execution may take before the grader gives up on its host: a backstop only. Hitting
   * it is the machinery's failure, never the student's (verdicts come from the budgets above).
   */
  backstopMs: number;
  /** Host failures one grading survives (each answered by a fresh host) before it is an infrastructure error. */
  maxHostFailures: number;
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
  /**
   * The sandbox answered it itself (see `SessionEnv.call`'s `answerHere`): the handler records it as
   * any other, and its answer is not sent, only checked not to be a refusal.
   */
  answered?: true;
}

export type CallAnswer = { ok: true; value: JsonValue } | { ok: false; error: WireError } | { violation: string };

/** One field of one failed call's error that the handler read (see protocol.ts). */
export interface FieldRead {
  seq: number;
  field: ErrorField;
}

export interface RawRun {
  settlement: Settlement;
  /** Fields of failed calls the handler read, by the calls' sequence numbers (used by the reduction). */
  inspected: FieldRead[];
  /** Work the execution did, in engine ticks (0 when the host did not say). */
  work: number;
}

/** Answers the calls of one attempt at an execution. */
export type CallHandler = (call: CallFromChild) => CallAnswer;

interface Job {
  req: JsonValue;
  /** Called once per attempt, so a retried execution answers its calls from fresh state. */
  startAttempt: () => CallHandler;
  resolve: (run: RawRun) => void;
  reject: (error: InfrastructureFailure) => void;
  /** Run with nothing else in flight: set after a failure that could not be pinned on one execution. */
  alone: boolean;
  /** Host failures this execution was alone in, each on a fresh host (see `fail`). */
  strikes: number;
  /** The host failures this execution was in flight for: refunded to the grading if it is blamed. */
  failures: FailureRecord[];
}

/** One host failure counted against the grading's allowance, until an execution is blamed for it. */
interface FailureRecord {
  refunded: boolean;
}

interface Active {
  exec: number;
  calls: number;
  job: Job;
  onCall: CallHandler;
  timer: ReturnType<typeof setTimeout>;
  /** Fields of this execution's failed calls that the host reported read. */
  inspected: FieldRead[];
  /** Seqs of all its failed calls: what it is assumed to have read when its host failed. */
  failed: number[];
}

/**
 * The grading machinery failed, not the student's code: hosts kept dying or would not start. The
 * grading stops and its caller reports an infrastructure error, which is retried and never scores.
 */
export class InfrastructureFailure extends Error {}

export class SandboxStartError extends Error {}

/** The engine would not load the module (it cannot parse it, or it defines no module): the code's doing. */
export class ModuleLoadError extends Error {}

/** How engine-host.ts words a module it would not load. */
const MODULE_REFUSED = ["loading the module failed", "the module has no factory"];

/** What executions still waiting get when the grader closes the runner (it has stopped exploring). */
const STOPPED: Settlement = { kind: "crashed", detail: "the grader stopped this sandbox" };

/** How long the grader waits for a host to unload a submission before it kills it instead. */
const UNLOAD_GRACE_MS = 2000;

/**
 * Times one execution must bring down a fresh host while running alone before the failure is pinned
 * on it: once could be the machine, three times in a row on three fresh hosts is the code.
 */
const STRIKES_TO_BLAME = 3;

/** Waits before the next fresh host after a failure: a host killed by a loaded machine gets it a breather. */
const RESTART_BACKOFF_MS = [0, 100, 300, 1000, 2000];

/** A host failure and what is known of it; see `fail`. */
interface HostFailure {
  detail: string;
  /**
   * `code`: the execution in flight broke a rule of the protocol only code can break (too many calls,
   * arguments too large, a call that is not part of deps): it is that execution's, beyond doubt.
   * `host`: the host crashed, broke the protocol, died or missed the backstop: maybe the code's doing,
   * maybe the machine's. `external`: the host was killed by a signal the grader did not send.
   */
  cause: "code" | "host" | "external";
  /** The execution the host pinned the failure on, when it did; `nobody` when it said it was none. */
  pinned?: Active | "nobody";
}

export class SandboxRunner {
  private host: EngineHost | undefined;
  private starting: Promise<void> | undefined;
  private readonly active = new Map<number, Active>();
  /** Executions waiting for a place; executions to run again alone go to the front. */
  private readonly waiting: Job[] = [];
  private readyWaiter: ((error?: string) => void) | undefined;
  /** Messages to the host, written together once the current batch of lines has been handled. */
  private outbox = "";
  private nextExec = 0;
  private closed = false;
  /** Protocol bytes this grading has received, over every host it leased. */
  private bytesReceived = 0;
  /** Why every execution from now on fails at once: the grading sent more than it may. */
  private exhausted: string | undefined;
  /** Set once the machinery has failed too often: every execution from now on is refused with it. */
  private broken: InfrastructureFailure | undefined;
  /** Why the engine would not load the module, if it would not (see ModuleLoadError). */
  private refusedModule: string | undefined;
  /** How many hosts this grading leased: 1, plus one for each that failed. */
  hostsLeased = 0;
  /** Host failures so far that no execution has been blamed for: the machinery's, as far as anyone knows. */
  hostFailures = 0;

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
   * is judged. A host that dies or will not start is replaced, with a growing pause, up to the
   * grading's allowance of host failures; past it, InfrastructureFailure.
   */
  async start(): Promise<void> {
    for (;;) {
      try {
        return await this.startOnce();
      } catch (error) {
        // `fail` counted the failure, and gave up on the grading once there were too many.
        if (this.broken) throw this.broken;
        if (!(error instanceof SandboxStartError) || this.closed) throw error;
        await pause(this.backoff());
      }
    }
  }

  private backoff(): number {
    return RESTART_BACKOFF_MS[Math.min(this.hostFailures, RESTART_BACKOFF_MS.length - 1)] ?? 0;
  }

  private async startOnce(): Promise<void> {
    if (this.host) return;
    const session = await sessionSource(this.profile);
    const host = acquireHost(this.mode, this.limits);
    this.host = host;
    this.hostsLeased++;
    host.lease({
      onLine: (line) => this.onLine(host, line),
      onFailure: (why, external) => this.fail(host, { detail: why, cause: external ? "external" : "host" }),
    });
    const ready = new Promise<string | undefined>((resolve) => {
      this.readyWaiter = resolve;
    });
    // Counted from the host's spawn when it has never been ready, so a host started ahead (while the
    // code compiled) has the same allowance as one started now.
    const timer = setTimeout(
      () => this.fail(host, { detail: `did not start within ${this.limits.startTimeoutMs} ms`, cause: "host" }),
      Math.max(0, this.limits.startTimeoutMs - host.bootingForMs()),
    );
    const limits: EngineLimits = {
      memoryBytes: this.limits.engineMemoryMb * 1024 * 1024,
      timeoutMs: this.limits.executionTimeoutMs,
      maxWorkTicks: this.limits.maxWorkTicks,
      callLatencyMs: this.limits.callLatencyMs,
      maxCallArgsBytes: this.limits.maxCallArgsBytes,
      // Room for the line around it: the protocol's cap is on the whole line.
      maxResponseBytes: this.limits.maxLineBytes - 1024,
    };
    this.send({ t: "load", code: this.code, session, limits });
    const problem = await ready;
    clearTimeout(timer);
    if (this.refusedModule) throw new ModuleLoadError(this.refusedModule);
    if (problem) throw new SandboxStartError(problem);
  }

  /**
   * Runs one execution (for the checkout profile, `checkout(req, deps)`). Settles with what the code
   * did; rejects only with InfrastructureFailure, when the machinery could not run it.
   * `startAttempt` is called for each attempt and returns what answers its calls.
   */
  run(req: JsonValue, startAttempt: () => CallHandler): Promise<RawRun> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.resolve({ settlement: STOPPED, inspected: [], work: 0 });
    if (this.exhausted)
      return Promise.resolve({ settlement: { kind: "crashed", detail: this.exhausted }, inspected: [], work: 0 });
    return new Promise<RawRun>((resolve, reject) => {
      this.waiting.push({ req, startAttempt, resolve, reject, alone: false, strikes: 0, failures: [] });
      this.pump();
    });
  }

  /**
   * Ends the grading; executions still waiting or in flight come back as crashed. A host with nothing
   * in flight goes back to the pool, its submission unloaded; one still busy is killed, and so is one
   * started for this grading alone (`flagship grade`, which would otherwise wait for the unloading
   * before it could exit).
   */
  async close(): Promise<void> {
    this.closed = true;
    const host = this.host;
    const reusable = host?.lifetime === "many-gradings";
    if (host && reusable && this.active.size === 0 && !this.starting && this.readyWaiter === undefined) {
      this.flush();
      this.host = undefined;
      void host.unload(UNLOAD_GRACE_MS).then((clean) => clean && releaseHost(this.mode, this.limits, host));
    } else if (host) this.kill(host);
    for (const active of [...this.active.values()]) {
      clearTimeout(active.timer);
      active.job.resolve({ settlement: STOPPED, inspected: [], work: 0 });
    }
    this.active.clear();
    for (const job of this.waiting.splice(0)) job.resolve({ settlement: STOPPED, inspected: [], work: 0 });
  }

  /** Starts waiting executions while there is room; an execution marked `alone` waits for an empty host. */
  private pump(): void {
    while (this.waiting.length > 0 && !this.closed && !this.broken) {
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
    this.starting = pause(this.hostsLeased > 0 ? this.backoff() : 0)
      .then(() => this.start())
      .then(
        () => {
          this.starting = undefined;
          if (this.closed) return void this.kill(this.host);
          this.pump();
        },
        (error: unknown) => {
          this.starting = undefined;
          // Nothing can run without a host: the grading cannot go on, and it is nobody's answer.
          this.breakDown(
            error instanceof InfrastructureFailure
              ? error
              : new InfrastructureFailure(`a fresh sandbox could not start: ${String(error)}`),
          );
        },
      );
  }

  /** The machinery has failed for good in this grading: every execution waiting or in flight is refused. */
  private breakDown(failure: InfrastructureFailure): void {
    this.broken = failure;
    if (this.host) this.kill(this.host);
    for (const active of [...this.active.values()]) {
      clearTimeout(active.timer);
      active.job.reject(failure);
    }
    this.active.clear();
    for (const job of this.waiting.splice(0)) job.reject(failure);
  }

  private launch(job: Job): void {
    const host = this.host;
    if (!host) throw new Error("launch needs a host");
    const exec = this.nextExec++;
    const timer = setTimeout(() => this.onBackstop(host, exec), this.limits.backstopMs);
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
   * The host did not end an execution in `backstopMs` of real time. The budgets that decide verdicts
   * are counted in work and simulated time, which an honest host enforces long before this: it is
   * stuck or starved, the machinery's failure, and nobody's verdict.
   */
  private onBackstop(host: EngineHost, exec: number): void {
    if (!this.active.has(exec) || this.host !== host) return;
    this.fail(host, {
      detail: `an execution did not settle within ${this.limits.backstopMs} ms of real time`,
      cause: "external",
    });
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
   * The host failed: never use it again. What happens to the executions in flight depends on what is
   * known (see HostFailure):
   *  - `code`: the execution pinned gets the failure; the others run again alone on a fresh host.
   *  - otherwise every execution in flight runs again alone on a fresh host. One that was alone when a
   *    host failed of itself (`host`) takes a strike; an execution with STRIKES_TO_BLAME strikes has
   *    brought down that many fresh hosts on its own, and the failure is its own. A host killed from
   *    outside (`external`) strikes nobody.
   * Each failure that is not the code's counts against the grading's allowance; past it the grading
   * is an infrastructure failure.
   */
  private fail(host: EngineHost, failure: HostFailure): void {
    if (this.host !== host && this.host !== undefined) return;
    this.kill(host);
    const waiter = this.readyWaiter;
    this.readyWaiter = undefined;
    waiter?.(failure.detail);
    const inFlight = [...this.active.values()];
    let blamed: Active | undefined;
    if (failure.cause === "code" && failure.pinned !== "nobody") blamed = failure.pinned;
    const only = inFlight.length === 1 ? inFlight[0] : undefined;
    if (!blamed && failure.cause === "host" && only?.job.alone && failure.pinned !== "nobody") {
      only.job.strikes++;
      if (only.job.strikes >= STRIKES_TO_BLAME) blamed = only;
    }
    if (blamed) {
      const detail =
        failure.cause === "code"
          ? failure.detail
          : `${failure.detail} (each of ${STRIKES_TO_BLAME} times it ran alone on a fresh sandbox)`;
      // The failures it was in flight for were its own doing: they do not count against the grading.
      for (const record of blamed.job.failures) {
        if (record.refunded) continue;
        record.refunded = true;
        this.hostFailures--;
      }
      this.finish(blamed, { settlement: { kind: "crashed", detail }, inspected: this.everything(blamed), work: 0 });
    } else if (failure.cause !== "code") {
      const record: FailureRecord = { refunded: false };
      for (const active of inFlight) active.job.failures.push(record);
      this.hostFailures++;
      if (this.hostFailures > this.limits.maxHostFailures) {
        return this.breakDown(
          new InfrastructureFailure(
            `the sandbox failed ${this.hostFailures} times in one grading (last: ${failure.detail})`,
          ),
        );
      }
    }
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
    if (!message)
      return this.fail(host, {
        detail: `sent something that is not a protocol message: ${JSON.stringify(line.slice(0, 80))}`,
        cause: "host",
      });
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
    // The host may pin it on an execution; pinned on one that is over (freeing what it left behind),
    // it is no other's.
    if (message.t === "crash") {
      // The engine could not parse or set up the module: the same on every host, so the code's.
      if (
        this.readyWaiter &&
        message.exec === null &&
        MODULE_REFUSED.some((start) => message.error.startsWith(start))
      ) {
        this.refusedModule = message.error;
        this.kill(host);
        const waiter = this.readyWaiter;
        this.readyWaiter = undefined;
        return waiter(message.error);
      }
      if (message.exec === null) return this.fail(host, { detail: message.error, cause: "host" });
      return this.fail(host, {
        detail: message.error,
        cause: "host",
        pinned: this.active.get(message.exec) ?? "nobody",
      });
    }
    // Messages about executions that are over (late answers) are ignored.
    const active = this.active.get(message.exec);
    if (!active) return;
    if (message.t === "read") {
      if (!active.failed.includes(message.seq)) {
        return this.fail(host, {
          detail: `reported reading the error of call ${message.seq} of execution ${message.exec}, which did not fail`,
          cause: "host",
        });
      }
      active.inspected.push({ seq: message.seq, field: message.field });
      return;
    }
    const work = message.t === "call" ? 0 : (message.work ?? 0);
    if (message.t === "stuck")
      return this.finish(active, { settlement: { kind: "stuck" }, inspected: active.inspected, work });
    if (message.t === "timeout") {
      const settlement: Settlement = {
        kind: "timeout",
        cause: message.cause,
        afterMs: message.clockMs,
        budgetMs: this.limits.executionTimeoutMs,
      };
      return this.finish(active, { settlement, inspected: active.inspected, work });
    }
    if (message.t === "crashed")
      return this.finish(active, {
        settlement: { kind: "crashed", detail: message.error },
        inspected: active.inspected,
        work,
      });
    if (message.t === "call") {
      // Only a session with a library answers calls itself: from any other, the host made this up.
      if (message.answered && !this.profile.library)
        return this.fail(host, {
          detail: "reported a call it answered itself, which this session never does",
          cause: "host",
        });
      active.calls++;
      if (active.calls > this.limits.maxCallsPerExecution) {
        return this.fail(host, {
          detail: `made more than ${this.limits.maxCallsPerExecution} calls in one execution`,
          cause: "code",
          pinned: active,
        });
      }
      // guest.ts refuses such a call before it leaves the engine; this is for a host that did not.
      if (JSON.stringify(message.args).length > this.limits.maxCallArgsBytes) {
        return this.fail(host, {
          detail: `passed more than ${this.limits.maxCallArgsBytes} bytes of arguments to ${message.service}.${message.method}`,
          cause: "code",
          pinned: active,
        });
      }
      const answer = active.onCall({
        seq: message.seq,
        service: message.service,
        method: message.method,
        args: message.args,
        ...(message.answered ? { answered: true } : {}),
      });
      if ("violation" in answer) return this.fail(host, { detail: answer.violation, cause: "code", pinned: active });
      if (message.answered) {
        // The sandbox answers only what the same rules in the grader answer; a refusal here means the
        // code changed how the sandbox answers (it shares the engine with those rules).
        if (answer.ok) return;
        return this.fail(host, {
          detail: `got an answer from inside the sandbox to ${message.service}.${message.method}, which the grader refuses: ${answer.error.message}`,
          cause: "code",
          pinned: active,
        });
      }
      if (!answer.ok) active.failed.push(message.seq);
      const reply: ParentMessage = answer.ok
        ? { t: "reply", exec: active.exec, seq: message.seq, ok: true, value: answer.value }
        : { t: "reply", exec: active.exec, seq: message.seq, ok: false, error: answer.error };
      return this.send(reply);
    }
    const settlement: Settlement = message.ok
      ? { kind: "returned", value: message.value ?? null }
      : { kind: "threw", message: message.error ?? "unknown error" };
    this.finish(active, { settlement, inspected: active.inspected, work });
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
    const crashed: RawRun = { settlement: { kind: "crashed", detail }, inspected: [], work: 0 };
    for (const active of [...this.active.values()]) {
      clearTimeout(active.timer);
      active.job.resolve(crashed);
    }
    this.active.clear();
    for (const job of this.waiting.splice(0)) job.resolve(crashed);
  }

  /** Every field of every failed call: what an execution is assumed to have read when nobody can tell. */
  private everything(active: Active): FieldRead[] {
    return active.failed.flatMap((seq) => ERROR_FIELDS.map((field) => ({ seq, field })));
  }
}

const ERROR_FIELDS: readonly ErrorField[] = ["kind", "status", "retryable"];

function pause(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
