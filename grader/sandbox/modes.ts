/**
 * Which operating-system boundary holds the student's code, and the command line that builds it.
 *
 *  - bwrap:   bubblewrap with every namespace unshared, only /usr and the libraries bound read-only,
 *             uid nobody, no network, no environment; the strongest mode and the default.
 *  - unshare: when bwrap is missing or cannot create namespaces: `unshare --net --ipc` (no network)
 *             plus `setpriv` to nobody with no capabilities. Files readable by nobody stay readable,
 *             so Node's permission model is what keeps the file system out.
 *  - unsafe:  a plain child process with Node's own limits only. Refused unless the operator opts in
 *             (FLAGSHIP_UNSAFE_SANDBOX=1 or the option), for development machines without namespaces.
 * In every mode: prlimit caps address space, processes and file size; Node runs with the permission
 * model (no fs, no child processes, no workers), no code generation from strings and a small heap;
 * the grader SIGKILLs the host when it misses a deadline. Inside it, student code runs in QuickJS
 * compiled to WebAssembly (engine-host.ts), which has no I/O at all: these layers hold even if the
 * engine does not.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export type SandboxMode = "bwrap" | "unshare" | "unsafe";

export interface SandboxLimits {
  /** V8 old-space limit for the child, in MiB. */
  heapMb: number;
  /** Address-space limit (covers Buffers and other off-heap memory), in MiB. */
  addressSpaceMb: number;
}

const NOBODY = "65534";
const probeCache = new Map<string, boolean>();

function works(cacheKey: string, argv: string[]): boolean {
  const cached = probeCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const [cmd, ...args] = argv;
  let ok = false;
  if (cmd && existsSync(cmd)) ok = spawnSync(cmd, args, { timeout: 5000, stdio: "ignore", env: {} }).status === 0;
  probeCache.set(cacheKey, ok);
  return ok;
}

/** `works`, without blocking: the answer lands in the same cache. */
function worksAhead(cacheKey: string, argv: string[]): Promise<boolean> {
  const cached = probeCache.get(cacheKey);
  if (cached !== undefined) return Promise.resolve(cached);
  const [cmd, ...args] = argv;
  if (!cmd || !existsSync(cmd)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (ok: boolean) => {
      // A blocking probe that finished first has the last word; both ran the same command.
      if (!probeCache.has(cacheKey)) probeCache.set(cacheKey, ok);
      resolve(probeCache.get(cacheKey) === true);
    };
    const child = spawn(cmd, args, { timeout: 5000, stdio: "ignore", env: {} });
    child.on("error", () => settle(false));
    child.on("exit", (code) => settle(code === 0));
  });
}

/**
 * Whether the boundary builds and Node is reachable and executable inside it, as the unprivileged
 * user. A coreutils `test` rather than a second Node start: the probe runs on every cold start
 * (`flagship grade`), and the host's own boot line proves the rest.
 */
const probe = (node: string): string[] => ["/usr/bin/test", "-x", node];

function bwrapPrefix(): string[] {
  const binds: string[] = [];
  for (const dir of ["/usr", "/lib", "/lib64", "/lib32"]) if (existsSync(dir)) binds.push("--ro-bind", dir, dir);
  return [
    "/usr/bin/bwrap",
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--clearenv",
    ...binds,
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--uid",
    NOBODY,
    "--gid",
    NOBODY,
    "--chdir",
    "/",
    // Node itself is the namespace's first process: no reaper process to start (it may start no
    // children to reap), and still killed with the grader's bwrap (--die-with-parent).
    "--as-pid-1",
  ];
}

function unsharePrefix(): string[] {
  return [
    "/usr/bin/unshare",
    "--net",
    "--ipc",
    "/usr/bin/setpriv",
    `--reuid=${NOBODY}`,
    `--regid=${NOBODY}`,
    "--clear-groups",
    "--inh-caps=-all",
    "--no-new-privs",
  ];
}

function prefixFor(mode: SandboxMode): string[] {
  if (mode === "bwrap") return bwrapPrefix();
  if (mode === "unshare") return unsharePrefix();
  return [];
}

/** Whether the operator opted into running student code without an OS sandbox. */
export function unsafeSandboxRequested(optIn?: boolean): boolean {
  return optIn === true || process.env["FLAGSHIP_UNSAFE_SANDBOX"] === "1";
}

/**
 * The strongest mode that works on this machine, or an explanation of why code cannot run.
 * `force` picks one mode (tests use it to exercise the fallback).
 */
export function detectSandboxMode(
  options: { allowUnsafe?: boolean; force?: SandboxMode } = {},
): { mode: SandboxMode } | { error: string } {
  const node = process.execPath;
  const candidates: SandboxMode[] = options.force ? [options.force] : ["bwrap", "unshare"];
  for (const mode of candidates) {
    if (mode === "unsafe") break;
    if (works(mode, [...prefixFor(mode), ...probe(node)])) return { mode };
  }
  if ((options.force === undefined || options.force === "unsafe") && unsafeSandboxRequested(options.allowUnsafe))
    return { mode: "unsafe" };
  return {
    error:
      "Refusing to run submitted code: neither bubblewrap (/usr/bin/bwrap) nor unshare+setpriv can create a sandbox on this machine. " +
      "Install bubblewrap, or set FLAGSHIP_UNSAFE_SANDBOX=1 on a development machine to run code without an OS sandbox.",
  };
}

/**
 * The mode `detectSandboxMode` will most likely pick, without waiting for it: the strongest whose
 * program is installed. Its probes run meanwhile, and `detectSandboxMode` then finds them answered
 * rather than block for them (bubblewrap's takes about 20 ms). For starting a host optimistically
 * (prestart.ts): should the guess be wrong, that host is simply never leased.
 */
export function guessSandboxMode(): SandboxMode | undefined {
  const node = process.execPath;
  const candidates: SandboxMode[] = ["bwrap", "unshare"];
  void candidates.reduce<Promise<boolean>>(
    (earlierWorked, mode) =>
      earlierWorked.then((worked) => worked || worksAhead(mode, [...prefixFor(mode), ...probe(node)])),
    Promise.resolve(false),
  );
  return candidates.find((mode) => {
    const program = prefixFor(mode)[0];
    return program !== undefined && existsSync(program) && probeCache.get(mode) !== false;
  });
}

/**
 * How many gradings a host is started for. V8 compiles the engine's WebAssembly with its baseline
 * compiler first and recompiles the hot functions with its optimizing one on background threads.
 * A host that serves many gradings runs about a fifth faster for it; one started for a single
 * grading (`flagship grade`) spends more of a two-core machine on the recompiling than it wins back
 * (bench/cold-grade.ts), and keeps the baseline code.
 */
export type HostLifetime = "many-gradings" | "one-grading";

/** The full argv that runs `program` (the engine host's loader) in the given mode. */
export function sandboxCommand(
  mode: SandboxMode,
  limits: SandboxLimits,
  program: string,
  lifetime: HostLifetime = "many-gradings",
): string[] {
  const mib = 1024 * 1024;
  const prlimit = [
    "/usr/bin/prlimit",
    `--as=${limits.addressSpaceMb * mib}`,
    `--fsize=0`,
    `--core=0`,
    // RLIMIT_NPROC counts every process and thread of the real user; root-mapped bwrap children are exempt, and there the pid namespace and the permission model stop forks.
    ...(mode === "unsafe" ? [] : ["--nproc=256"]),
    "--",
  ];
  const nodeFlags = [
    // Bounds checks instead of guard regions: WebAssembly memory then reserves only its maximum
    // (256 MiB per engine instance), not the 10 GiB of address space the guard regions need, so the prlimit above holds.
    "--disable-wasm-trap-handler",
    "--experimental-permission",
    `--max-old-space-size=${limits.heapMb}`,
    "--disallow-code-generation-from-strings",
    "--stack-size=900",
    "--no-warnings",
    "--unhandled-rejections=strict",
    ...(lifetime === "one-grading" ? ["--liftoff-only"] : []),
  ];
  return [
    ...(existsSync("/usr/bin/prlimit") ? prlimit : []),
    ...prefixFor(mode),
    process.execPath,
    ...nodeFlags,
    "-e",
    program,
  ];
}
