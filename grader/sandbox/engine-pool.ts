/**
 * Engine hosts (engine-host.ts) kept running between gradings. A grading leases one, loads its
 * submission (a fresh WebAssembly instance), and gives it back; the next grading finds it started.
 * A host that misbehaved or missed a deadline is killed, never given back.
 *
 * Idle hosts hold no reference on the event loop, so a command-line grading still exits when it is
 * done; they exit themselves when the grader does (bubblewrap's --die-with-parent, or end of stdin).
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { engineBootLine, loaderSource } from "./engine-bundle";
import { LineReader } from "./line-reader";
import { sandboxCommand, type HostLifetime, type SandboxLimits, type SandboxMode } from "./modes";

/** The child's end of the protocol channel: parent→child lines on stdin, child→parent lines on this fd. */
export const PROTOCOL_FD = 3;

/** Hosts kept idle per sandbox configuration; a burst needs about one per grading worker. */
const MAX_IDLE = 4;

/** What a host tells the grading that leases it. */
export interface HostListener {
  onLine(line: string): void;
  /** `external`: killed by a signal the grader did not send (an operator, the OOM killer): not the code's doing. */
  onFailure(why: string, external: boolean): void;
}

/** Signals that come from outside the host: what its own code does ends it by exit or abort instead. */
const EXTERNAL_SIGNALS = new Set(["SIGKILL", "SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"]);

export interface HostLimits extends SandboxLimits {
  maxLineBytes: number;
}

/** The host limits config.ts defaults to, here so that starting a host needs no option parsing. */
export const DEFAULT_HOST_LIMITS: HostLimits = { heapMb: 64, addressSpaceMb: 2048, maxLineBytes: 256 * 1024 };

export class EngineHost {
  private readonly child: ChildProcess;
  private readonly reader: LineReader;
  private listener: HostListener | undefined;
  /** Lines before the lessee's "ready" belong to the previous lessee and are dropped. */
  private awaitingReady = false;
  private stderrTail = "";
  /** When the process was spawned, until it has once said "ready": see `bootingForMs`. */
  private bootStartedAt: number | undefined = Date.now();
  alive = true;

  constructor(
    argv: string[],
    limits: HostLimits,
    /** A host started for one grading (see `HostLifetime`) is killed after it, never pooled. */
    readonly lifetime: HostLifetime = "many-gradings",
  ) {
    const [cmd, ...args] = argv;
    if (!cmd) throw new Error("empty sandbox command");
    // An empty environment in every mode: the grader's secrets never reach the host. Nothing in the
    // engine can print, so stdout is not even read.
    this.child = spawn(cmd, args, { stdio: ["pipe", "ignore", "pipe", "pipe"], env: {} });
    this.reader = new LineReader(
      limits.maxLineBytes,
      (line) => this.onLine(line),
      (why) => this.failed(`the sandboxed process ${why}`),
    );
    (this.child.stdio[PROTOCOL_FD] as Readable | null)?.on("data", (chunk: Buffer) => this.reader.push(chunk));
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-2000);
    });
    this.child.stdin?.on("error", () => undefined);
    this.child.on("error", (error) => this.failed(`could not start: ${error.message}`));
    this.child.on("exit", (code, signal) =>
      this.failed(
        `exited (${signal ?? `code ${code}`})${this.stderrTail ? `: ${lastLine(this.stderrTail)}` : ""}`,
        signal !== null && EXTERNAL_SIGNALS.has(signal),
      ),
    );
    this.child.stdin?.write(engineBootLine());
  }

  lease(listener: HostListener): void {
    this.listener = listener;
    this.awaitingReady = true;
    this.setReferenced(true);
  }

  release(): void {
    this.listener = undefined;
    this.setReferenced(false);
  }

  /**
   * Unloads the lessee's submission and waits for the host to say it is clean; false when it did not
   * (it crashed freeing an execution, or is too slow), and is then killed.
   */
  unload(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (clean: boolean): void => {
        clearTimeout(timer);
        if (!clean) this.kill();
        resolve(clean);
      };
      this.listener = {
        onLine: (line) => {
          if (line === '{"t":"unloaded"}') finish(true);
          else if (line.startsWith('{"t":"crash"')) finish(false);
        },
        onFailure: () => finish(false),
      };
      this.send('{"t":"unload"}\n');
    });
  }

  send(text: string): void {
    if (this.alive) this.child.stdin?.write(text);
  }

  kill(): void {
    this.alive = false;
    this.listener = undefined;
    this.child.kill("SIGKILL");
  }

  /**
   * How long a host that has never been ready has been starting (0 once it has been): a host started
   * ahead of its lease (`prestartHost`) has had that long of its start allowance already.
   */
  bootingForMs(): number {
    return this.bootStartedAt === undefined ? 0 : Date.now() - this.bootStartedAt;
  }

  private onLine(line: string): void {
    if (this.awaitingReady) {
      if (line !== '{"t":"ready"}' && !line.startsWith('{"t":"crash"')) return;
      this.awaitingReady = false;
      this.bootStartedAt = undefined;
    }
    this.listener?.onLine(line);
  }

  private failed(why: string, external = false): void {
    if (!this.alive) return;
    const listener = this.listener;
    this.kill();
    listener?.onFailure(why, external);
  }

  private setReferenced(referenced: boolean): void {
    const handles: unknown[] = [this.child, ...this.child.stdio];
    for (const handle of handles) {
      const h = handle as { ref?: () => void; unref?: () => void } | null;
      if (referenced) h?.ref?.();
      else h?.unref?.();
    }
  }
}

const idle = new Map<string, EngineHost[]>();

/** Hosts started with the same command line and the same reader are interchangeable. */
function poolKey(mode: SandboxMode, limits: HostLimits): string {
  return `${mode}:${limits.heapMb}:${limits.addressSpaceMb}:${limits.maxLineBytes}`;
}

/** A started host for this sandbox configuration: an idle one, or a new one. */
export function acquireHost(mode: SandboxMode, limits: HostLimits): EngineHost {
  const hosts = idle.get(poolKey(mode, limits)) ?? [];
  for (let host = hosts.pop(); host; host = hosts.pop()) if (host.alive) return host;
  return new EngineHost(sandboxCommand(mode, limits, loaderSource(PROTOCOL_FD)), limits);
}

/**
 * Starts a host into the idle pool when it has none, so that it boots (a process, the bundle, the
 * WebAssembly compiled) while the submission is still being transpiled. Unreferenced like any idle
 * host: it never keeps a process alive, and a grading that does not need it leaves it for the next.
 */
export function prestartHost(mode: SandboxMode, limits: HostLimits, lifetime: HostLifetime = "many-gradings"): void {
  const key = poolKey(mode, limits);
  const hosts = (idle.get(key) ?? []).filter((host) => host.alive);
  if (hosts.length === 0) {
    const host = new EngineHost(sandboxCommand(mode, limits, loaderSource(PROTOCOL_FD), lifetime), limits, lifetime);
    host.release();
    hosts.push(host);
  }
  idle.set(key, hosts);
}

/** Takes a host back after a grading that ended cleanly (its submission unloaded, see `unload`). */
export function releaseHost(mode: SandboxMode, limits: HostLimits, host: EngineHost): void {
  host.release();
  if (!host.alive) return;
  const key = poolKey(mode, limits);
  const hosts = idle.get(key) ?? [];
  if (hosts.length >= MAX_IDLE) return host.kill();
  hosts.push(host);
  idle.set(key, hosts);
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return (lines[lines.length - 1] ?? "").slice(0, 300);
}
