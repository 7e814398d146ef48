/**
 * The engine host's side of the protocol (protocol.ts): the lines it reads, checked into typed
 * messages, and the lines it writes, batched into one write per turn of the event loop.
 */
import type { EngineLimits } from "./engine-execution";
import type { Submission } from "./engine-instance";

export interface CallReply {
  exec: number;
  seq: number;
  ok: boolean;
  value?: unknown;
  error?: Record<string, unknown>;
}

/** What the grader may send the host. A line that is none of these is ignored. */
export type HostMessage =
  | ({ t: "load" } & Submission)
  | { t: "unload" }
  | { t: "run"; exec: number; req: unknown }
  | ({ t: "reply" } & CallReply);

type Incoming = {
  t?: unknown;
  exec?: unknown;
  seq?: unknown;
  ok?: unknown;
  value?: unknown;
  error?: Record<string, unknown>;
  code?: unknown;
  session?: unknown;
  limits?: EngineLimits;
  req?: unknown;
};

export function parseHostMessage(line: string): HostMessage | undefined {
  const message = JSON.parse(line) as Incoming;
  const { t, exec, seq } = message;
  if (t === "load" && typeof message.code === "string" && typeof message.session === "string" && message.limits)
    return { t, code: message.code, session: message.session, limits: message.limits };
  if (t === "unload") return { t };
  if (t === "run" && typeof exec === "number") return { t, exec, req: message.req };
  if (t === "reply" && typeof exec === "number" && typeof seq === "number")
    return { t, exec, seq, ok: message.ok === true, value: message.value, error: message.error };
  return undefined;
}

/** Calls `onLine` for each complete line of a stream that arrives in chunks. */
export function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let buffered = "";
  return (chunk) => {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
      onLine(line);
    }
  };
}

export interface Outbox {
  send: (message: Record<string, unknown>) => void;
  /** Writes what is queued now (before the host exits, say). */
  flush: () => void;
}

/**
 * Lines to the grader, queued and written together once the current turn of the event loop is over
 * (or sooner past 64 KiB): an execution's many small lines cost one system call.
 */
export function outbox(writeSync: (data: string) => void): Outbox {
  let queued = "";
  function flush(): void {
    const text = queued;
    queued = "";
    if (text) writeSync(text);
  }
  function send(message: Record<string, unknown>): void {
    if (queued === "") setImmediate(flush);
    queued += JSON.stringify(message) + "\n";
    if (queued.length > 65536) flush();
  }
  return { send, flush };
}
