/**
 * What one execution of a student's handler looked like, as recorded by the trusted grader: the
 * faults it was asked to inject, every downstream call with its arguments and the answer the grader
 * gave, and how the handler settled. The judge decides from this record alone.
 */
import type { CallName, FaultKind } from "./contract";
import type { JsonValue } from "../result";
import type { Settlement } from "../sandbox/settlement";

/**
 * A fault pinned to one logical call, `service.method#n`: the n-th logical call of that method, e.g.
 * `payments.charge#1`. A logical call is a first attempt and the retries that follow it; it ends when
 * an attempt succeeds, and the next call of that method starts the next logical call. A fault is
 * transient (the first `attempts` attempts fail, then the call heals) or, without `attempts`,
 * persistent (every attempt fails). See README.md, "The fault model".
 */
export interface Fault {
  call: string;
  kind: FaultKind;
  attempts?: number;
}

export type CallOutcome =
  | { ok: true; value: JsonValue }
  | { ok: false; injected: FaultKind }
  /** The grader's fake service refused the call itself (bad arguments), as a real one would. */
  | { ok: false; rejected: string };

export interface CallRecord {
  /** `service.method#n`: the logical call this attempt belongs to, the identity faults are pinned to. */
  id: string;
  name: CallName;
  /** Which attempt at its logical call this was, from 1. */
  attempt: number;
  /** Which call of its method this was in the execution, from 1, whatever the logical calls. */
  occurrence: number;
  args: JsonValue[];
  outcome: CallOutcome;
}

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
  return faults.map(describeFault).sort().join(",");
}

/** `users.getUser#1=timeout` (persistent) or `users.getUser#1=timeout×2` (the first two attempts). */
export function describeFault(fault: Fault): string {
  return `${fault.call}=${fault.kind}${fault.attempts === undefined ? "" : `×${fault.attempts}`}`;
}
