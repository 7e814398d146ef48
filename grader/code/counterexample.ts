/**
 * A failing execution told as data a student can read and the grader can replay: the fixture, the
 * faults, every call in order with its arguments and the answer the grader gave, the response the
 * handler gave and the one the oracle expected.
 */
import { z } from "zod";
import type { JsonValue } from "../result";
import { faultKindSchema } from "./contract";
import { describeTimeout } from "../sandbox/settlement";
import type { ExecutionRecord } from "./execution";
import { describeStatus, type Expectation } from "./judge";

export const counterexampleSchema = z.object({
  fixture: z.string().min(1),
  faults: z.array(
    z.object({
      call: z
        .string()
        .regex(
          /^[a-z]+\.[A-Za-z]+[#@]\d+$/,
          "expected service.method#n (a logical call) or service.method@n (one attempt)",
        ),
      kind: faultKindSchema,
      /** Transient: only the first this many attempts fail. */
      attempts: z.number().int().min(1).optional(),
    }),
  ),
});

function describeSettlement(record: ExecutionRecord): JsonValue {
  const s = record.settlement;
  switch (s.kind) {
    case "returned":
      return s.value;
    case "threw":
      return `threw ${s.message}`;
    case "timeout":
      return describeTimeout(s, "the handler");
    case "stuck":
      return "never settled (waiting on nothing)";
    case "crashed":
      return `process failed: ${s.detail}`;
  }
}

export function counterexampleOf(record: ExecutionRecord, expected: Expectation, message: string): JsonValue {
  return {
    fixture: record.fixtureId,
    faults: record.faults.map((f) => ({
      call: f.call,
      kind: f.kind,
      ...(f.attempts === undefined ? {} : { attempts: f.attempts }),
    })),
    calls: record.calls.map((c) => ({
      call: c.attempt > 1 ? `${c.id} (attempt ${c.attempt})` : c.id,
      args: c.args,
      outcome: c.outcome.ok
        ? "ok"
        : "injected" in c.outcome
          ? `failed: ${c.outcome.injected} (injected)`
          : `rejected: ${c.outcome.rejected}`,
      ...(c.outcome.ok ? { answer: c.outcome.value } : {}),
    })),
    response: describeSettlement(record),
    expected: describeStatus(expected),
    why: message,
  };
}
