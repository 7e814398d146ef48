/**
 * A real redis-server of the test's own: a free loopback port, a fresh temp folder for its
 * append-only file, the settings production needs (appendonly yes, maxmemory-policy noeviction).
 * `stop()` ends it and removes the folder; `restart()` keeps the folder, so what the AOF holds comes
 * back. It runs under `setpriv --pdeathsig KILL`, so a test process that dies (vitest's forks pool
 * runs each file in a process of its own) takes its Redis with it: none is ever left running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "./server-process";

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops it (SHUTDOWN: the AOF is flushed) and starts it again on the same port and folder. */
  restart(): Promise<void>;
  /** SIGKILL, then start again: only what the AOF had on disk survives. */
  crashAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server that starts slowly on a loaded machine still comes up within this. */
const STARTUP_WAIT_MS = 60_000;

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

async function launch(
  port: number,
  dir: string,
  extraArgs: string[],
): Promise<{ child: ChildProcess; output: () => string }> {
  const args = [
    "--pdeathsig",
    "KILL",
    "--",
    "redis-server",
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--appendonly",
    "yes",
    "--appendfsync",
    "always",
    "--maxmemory-policy",
    "noeviction",
    "--save",
    "",
    "--daemonize",
    "no",
    "--logfile",
    "",
    ...extraArgs,
  ];
  const child = spawn("setpriv", args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + STARTUP_WAIT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited early:\n${output}`);
    const client = new Redis({
      port,
      host: "127.0.0.1",
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on("error", () => undefined);
    try {
      await client.connect();
      // Loading a large AOF answers PING with LOADING; wait until it is done.
      if ((await client.ping()) === "PONG") return { child, output: () => output };
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  await exited(child);
  throw new Error(`redis-server did not answer PING:\n${output}`);
}

/** Starts a Redis; `extraArgs` are more redis-server options (a test of a bad setting, say). */
export async function startRedis(extraArgs: string[] = []): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), "flagship-redis-"));
  const port = await freePort();
  let current = await launch(port, dir, extraArgs);
  const shutdown = async () => {
    current.child.kill("SIGTERM");
    const done = exited(current.child);
    const timer = setTimeout(() => current.child.kill("SIGKILL"), 20_000);
    await done;
    clearTimeout(timer);
  };
  // Belt and braces beside pdeathsig: a test process that exits normally stops its Redis too.
  const onExit = () => current.child.kill("SIGKILL");
  process.once("exit", onExit);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async restart() {
      await shutdown();
      current = await launch(port, dir, extraArgs);
    },
    async crashAndRestart() {
      current.child.kill("SIGKILL");
      await exited(current.child);
      current = await launch(port, dir, extraArgs);
    },
    async stop() {
      await shutdown();
      process.removeListener("exit", onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
