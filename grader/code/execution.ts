/**
 * What one execution of a student's handler looked like, as recorded by the trusted grader: the
 * faults it was asked to inject, every downstream call with its arguments and the answer the grader
 * gave, and how the handler settled. The judge decides from this record alone.
 */
import type { CallName, FaultKind } from "./contract";
import type { JsonValue } from "../result";

/** A fault pinned to one call identity: `service.method#occurrence`, e.g. `payments.charge#1`. */
export interface Fault {
  call: string;
  kind: FaultKind;
}

export type CallOutcome =
  | { ok: true; value: JsonValue }
  | { ok: false; injected: FaultKind }
  /** The grader's fake service refused the call itself (bad arguments), as a real one would. */
  | { ok: false; rejected: string };

export interface CallRecord {
  /** `service.method#occurrence`: the identity faults are pinned to. */
  id: string;
  name: CallName;
  occurrence: number;
  args: JsonValue[];
  outcome: CallOutcome;
}

export type Settlement =
  | { kind: "returned"; value: JsonValue }
  | { kind: "threw"; message: string }
  | { kind: "timeout"; afterMs: number }
  /** Still pending with nothing left that could settle it (no call in flight, no timer, no I/O). */
  | { kind: "stuck" }
  /** The child died, broke the protocol or exceeded a limit; `detail` says which. */
  | { kind: "crashed"; detail: string };

export interface ExecutionRecord {
  fixtureId: string;
  faults: Fault[];
  calls: CallRecord[];
  settlement: Settlement;
}

export function callId(name: string, occurrence: number): string {
  return `${name}#${occurrence}`;
}

/** A canonical key so the same fault set is never run twice, whatever order it was built in. */
export function faultSetKey(faults: readonly Fault[]): string {
  return faults
    .map((f) => `${f.call}=${f.kind}`)
    .sort()
    .join(",");
}
