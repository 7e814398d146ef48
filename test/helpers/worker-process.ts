/**
 * Runs `npx flagship worker` (the built CLI, as a grader machine runs it) as a child process, for
 * tests that kill it, stop it or run two.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

const STARTUP_WAIT_MS = 150_000;

/** Starts a worker and waits until it says it is ready (or exits, which the caller may expect). */
export async function startWorkerProcess(
  env: Record<string, string>,
  options: { expectExit?: boolean } = {},
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["bin/flagship.js", "worker"], {
    env: { ...process.env, LOG_LEVEL: "info", GRADER_CONCURRENCY: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const worker = { child, output: () => output, exited };
  if (options.expectExit) return worker;
  const deadline = Date.now() + STARTUP_WAIT_MS;
  while (Date.now() < deadline) {
    if (output.includes("grader worker ready")) return worker;
    if (child.exitCode !== null) throw new Error(`worker exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`worker did not get ready:\n${output}`);
}

/** Stops a worker process if it still runs (SIGKILL: the test is over) and waits for it. */
export async function killWorker(worker: WorkerProcess | undefined): Promise<void> {
  if (!worker || worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill("SIGKILL");
  await worker.exited;
}
