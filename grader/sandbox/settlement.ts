/**
 * How one execution of a student's code ended, as the trusted side saw it: every code kind's judge
 * starts from this, and describes a budget overrun in the student's terms with `describeTimeout`.
 */
import type { JsonValue } from "../result";

export type Settlement =
  | { kind: "returned"; value: JsonValue }
  | { kind: "threw"; message: string }
  /**
   * Past a budget, on the execution's simulated clock (`clock`: it would have waited until `afterMs`)
   * or in work (`work`: it ran too many steps without answering).
   */
  | { kind: "timeout"; cause: "clock" | "work"; afterMs: number; budgetMs: number }
  /** Still pending with nothing left that could settle it (no call in flight, no timer, no I/O). */
  | { kind: "stuck" }
  /** The child died, broke the protocol or exceeded a limit; `detail` says which. */
  | { kind: "crashed"; detail: string };

function seconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))} s` : `${Math.round(ms)} ms`;
}

/**
 * A timeout in the student's terms: how long it would have waited on its simulated clock against the
 * budget, or that it kept computing. `subject` names what ran ("your checkout", "your test").
 */
export function describeTimeout(s: Extract<Settlement, { kind: "timeout" }>, subject: string): string {
  if (s.cause === "work")
    return `${subject} kept computing without answering, far past the work any answer needs (a loop that never ends?)`;
  return `${subject} waited ${seconds(s.afterMs)} of simulated time; it must answer within ${seconds(s.budgetMs)}`;
}
