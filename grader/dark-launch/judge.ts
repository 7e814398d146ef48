/**
 * The judge: which rule an input is about and whether the handler's answer keeps it, decided from the
 * grader's own record of the execution (the response the child returned, the pricing calls the grader
 * answered) against the trusted legacy handler. The child never reports a verdict.
 */
import { isDeepStrictEqual } from "node:util";
import { describeTimeout, type Settlement } from "../sandbox/settlement";
import type { JsonValue } from "../result";
import { bucketOf, exposed } from "./contract";
import type { RideCase } from "./generate";
import { expectedQuote, legacyQuote } from "./legacy";
import type { PricingCall } from "./pricing";
import type { RuleId } from "./rules-schema";

/** One execution of the student's handler, as the grader saw it. */
export interface RideRun {
  input: RideCase;
  settlement: Settlement;
  pricingCalls: PricingCall[];
}

export interface RuleCheck {
  rule: RuleId;
  ok: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The returned value, or undefined when the handler threw, hung or crashed. */
export function returned(run: RideRun): JsonValue | undefined {
  return run.settlement.kind === "returned" ? run.settlement.value : undefined;
}

export function offeredPriority(run: RideRun): boolean {
  const value = returned(run);
  return isRecord(value) && value["priority"] !== undefined && value["priority"] !== null;
}

/** Which rule judges the priority decision for this input (flag on). */
export function priorityRuleFor(c: RideCase): RuleId {
  if (!c.rider.priorityEligible || legacyQuote(c).response.status !== "ok") return "eligibility-respected";
  if (c.rider.employee || c.flag.mode === "employees") return "employees-first";
  return "ramp-buckets";
}

export function judgeRun(run: RideRun): RuleCheck[] {
  const c = run.input;
  const legacy = legacyQuote(c);
  const value = returned(run);
  if (c.flag.mode === "off") {
    return [
      { rule: "no-op-response", ok: value !== undefined && isDeepStrictEqual(value, legacy.response) },
      { rule: "no-op-calls", ok: isDeepStrictEqual(run.pricingCalls, legacy.calls) },
    ];
  }
  const rest = isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== "priority")) : value;
  const expected = expectedQuote(c, c.flag);
  const want = "priority" in expected && expected.priority !== undefined;
  const offered = offeredPriority(run);
  const rightOffer =
    offered === want && (!want || (isRecord(value) && isDeepStrictEqual(value["priority"], expected.priority)));
  return [
    { rule: "flag-on-keeps-legacy", ok: value !== undefined && isDeepStrictEqual(rest, legacy.response) },
    { rule: priorityRuleFor(c), ok: value !== undefined && rightOffer },
  ];
}

/** How the handler settled, in a form a counterexample can show. */
export function yourAnswer(run: RideRun): JsonValue {
  const s = run.settlement;
  if (s.kind === "returned") return s.value;
  if (s.kind === "threw") return `threw: ${s.message}`;
  if (s.kind === "timeout") return describeTimeout(s, "it");
  if (s.kind === "stuck") return "never settled (its promise waits on nothing)";
  return `crashed: ${s.detail}`;
}

/** The replayable story of one failing input: what went in, what legacy and the lesson expect, what came out. */
export function counterexampleOf(run: RideRun, rule: RuleId): JsonValue {
  const c = run.input;
  const legacy = legacyQuote(c);
  const story: Record<string, JsonValue> = {
    rider: { ...c.rider },
    bucket: bucketOf(c.rider.id),
    trip: { ...c.trip },
    flag: { ...c.flag },
    legacy: legacy.response as unknown as JsonValue,
  };
  if (c.flag.mode !== "off") {
    story["riderInFlag"] = exposed(c.flag, c.rider);
    story["expected"] = expectedQuote(c, c.flag) as unknown as JsonValue;
  }
  story["yours"] = yourAnswer(run);
  if (rule === "no-op-calls") {
    story["legacyCalls"] = legacy.calls as unknown as JsonValue;
    story["yourCalls"] = run.pricingCalls as unknown as JsonValue;
  }
  return story;
}
