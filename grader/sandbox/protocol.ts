/**
 * The line protocol between the trusted grader and the engine host in the sandbox: one JSON object per
 * line, parent→host on stdin, host→parent on fd 3. Everything the host sends is untrusted: it is
 * size-capped by the reader and parsed here with zod before anything looks at it.
 */
import { z } from "zod";
import type { JsonValue } from "../result";
import type { EngineLimits } from "./engine-host";

/**
 * Values inside a line need no walk: the line came through JSON.parse, so they are JSON already, and
 * the line's length is capped before it is parsed. (Walking them with a recursive schema cost more
 * than everything else the grader does with a message.)
 */
const json = z.custom<JsonValue>(() => true);

const exec = z.number().int().min(0);
/** Work the execution did, in engine interrupt ticks: what a grading's total work budget counts. */
const work = z.number().int().min(0).optional();

export const childMessageSchema = z.discriminatedUnion("t", [
  z.object({ t: z.literal("ready") }).strict(),
  /** The submission is gone from the host, which may now serve another. */
  z.object({ t: z.literal("unloaded") }).strict(),
  z
    .object({
      t: z.literal("call"),
      exec,
      seq: z.number().int().min(0),
      service: z.string().max(40),
      method: z.string().max(40),
      args: z.array(json).max(10),
      /** Answered inside the sandbox (see `SessionEnv.call`): recorded like any call, and not replied to. */
      answered: z.literal(true).optional(),
    })
    .strict(),
  z
    .object({
      t: z.literal("done"),
      exec,
      ok: z.boolean(),
      value: json.optional(),
      error: z.string().max(2000).optional(),
      work,
    })
    .strict(),
  /** The student's code read one field of a failed call's error, for the first time (see ErrorShape). */
  z
    .object({
      t: z.literal("read"),
      exec,
      seq: z.number().int().min(0),
      field: z.enum(["kind", "status", "retryable"]),
    })
    .strict(),
  /** The execution waits on nothing that could ever settle it. */
  z.object({ t: z.literal("stuck"), exec, work }).strict(),
  /**
   * The execution ran past a budget: its simulated clock would pass the time budget (`clock`, with the
   * time it would have reached), or it did too much work without answering (`work`).
   */
  z
    .object({ t: z.literal("timeout"), exec, cause: z.enum(["clock", "work"]), clockMs: z.number().min(0), work })
    .strict(),
  /** The execution failed outside its handler's promise (a throw from a timer's callback). */
  z.object({ t: z.literal("crashed"), exec, error: z.string().max(2000), work }).strict(),
  /** The host itself failed (exec null) or could not load the module: it is not used again. */
  z.object({ t: z.literal("crash"), exec: exec.nullable(), error: z.string().max(2000) }).strict(),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;

/** The error a failed call raises in the student's code. */
export interface WireError {
  kind: string;
  status: number;
  retryable: boolean;
  message: string;
}

/**
 * What tells fault kinds apart. It travels with the reply but stays in the host, outside the engine:
 * the student's code gets each field through the host, which reports the first read of each (a `read`
 * line, ahead of the execution's end on the same pipe). So every field of every error the code looked
 * at is on record, and nothing the code does inside the engine can learn one without that being
 * reported. (A host the code had escaped into could lie about reads, but then it could as well lie
 * about the calls and the answer: the host is the boundary either way.)
 */
export type ErrorShape = Omit<WireError, "message">;
export type ErrorField = keyof ErrorShape;

export type ParentMessage =
  | { t: "load"; code: string; session: string; limits: EngineLimits }
  | { t: "unload" }
  | { t: "run"; exec: number; req: JsonValue }
  | { t: "reply"; exec: number; seq: number; ok: true; value: JsonValue }
  | { t: "reply"; exec: number; seq: number; ok: false; error: WireError };

/** Parses one line from the child; undefined when it is not a valid message. */
export function parseChildLine(line: string): ChildMessage | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = childMessageSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
