/**
 * The engine host: a long-lived Node process inside the OS sandbox (see modes.ts) that runs students'
 * code in QuickJS compiled to WebAssembly. It serves one submission at a time and is then reused for
 * the next: starting Node costs most of a grading on a small machine, starting a WebAssembly instance
 * a few milliseconds.
 *
 *  - Each submission (`load`) gets fresh WebAssembly instances on zeroed memory: nothing of an earlier
 *    submission survives in them, whatever that code did inside its engine. In each, one QuickJS
 *    runtime and context is set up with the guest globals (guest.ts), the session and the student's
 *    module factory, with a memory limit and a work budget; then a copy of its memory is taken.
 *  - Each execution (`run`) starts from that copy (engine-snapshot.ts): the engine's memory is put
 *    back as it was, so no execution can see what another did, and nothing is parsed again. An
 *    instance runs one execution at a time; a host keeps up to three, so that while one execution
 *    waits for the grader's answer to a call, another runs.
 *  - Student code reaches nothing of Node: the engine has no I/O, no modules and no way to load any;
 *    its only way out is the host object guest.ts receives, whose calls become protocol lines.
 *
 * The host runs only its own files (this one, host-scheduler.ts, engine-instance.ts, engine-execution.ts,
 * host-io.ts, guest.ts) and the QuickJS library, and it is not trusted for all that. The
 * grader judges only from its own record of the calls it answered (protocol.ts), and kills the host
 * at once if it breaks the protocol or misses a deadline.
 *
 * Bundled with its libraries by engine-bundle.ts and started by a small loader program; it gets
 * Node's `require` from there, and the WebAssembly bytes over stdin (it can read no files).
 */
import { guestMain } from "./guest";
import { readMemoryLayout } from "./engine-snapshot";
import { HostScheduler, describeError } from "./host-scheduler";
import { lineSplitter, outbox, parseHostMessage } from "./host-io";

export { SIMULATED_EPOCH_MS, type EngineLimits } from "./engine-execution";

/** What the loader passes in; see engine-bundle.ts. */
export interface HostStart {
  require: (id: string) => unknown;
  wasm: Uint8Array<ArrayBuffer>;
  protocolFd: number;
  /** What the loader read from stdin past its own line: the start of the protocol. */
  pending: string;
}

export async function main(start: HostStart): Promise<void> {
  const fs = start.require("fs") as { writeSync(fd: number, data: string): number };
  const proc = globalThis.process;
  const { send, flush } = outbox((text) => fs.writeSync(start.protocolFd, text));

  /**
   * The host stops for good: its last line says why (pinned on an execution when it is that one's),
   * and the grader, seeing it exit, never leases it again.
   */
  function quit(exec: number | null, why: string, code = 70): never {
    send({ t: "crash", exec, error: why });
    flush();
    return proc.exit(code);
  }

  // Messages are handled one after another; a `load` (which waits for the instance) holds up the rest.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void> | void): void => {
    queue = queue.then(task).catch((error: unknown) => quit(null, `engine host: ${describeError(error)}`));
  };

  const scheduler = new HostScheduler({
    wasmModule: await WebAssembly.compile(start.wasm),
    layout: readMemoryLayout(start.wasm),
    guestSource: String(guestMain),
    send,
    quit,
    enqueue,
  });
  const receive = lineSplitter((line) =>
    enqueue(() => {
      const message = parseHostMessage(line);
      return message && scheduler.handle(message);
    }),
  );
  receive(start.pending);
  proc.stdin.on("data", receive);
  proc.stdin.resume();
  proc.stdin.on("end", () => proc.exit(0));
}
