/**
 * The oracle: judges one execution from the grader's own record of calls and the handler's returned
 * value. Nothing the sandboxed process claims about itself is consulted.
 */
import { checkoutResponseSchema, type CallName, type CheckoutResponse, type CheckoutStatus } from "./contract";
import { describeTimeout } from "../sandbox/settlement";
import type { CallRecord, ExecutionRecord } from "./execution";
import type { FailureRule, Fixture, Oracle } from "./oracle-schema";

export interface RuleCheck {
  rule: string;
  ok: boolean;
  /** Why it failed (empty when it held). */
  message: string;
}

export interface Expectation {
  /** The rule that owns the expected status. */
  owner: string;
  status: CheckoutStatus;
  /** For status ok: what the customer should pay. */
  chargeCents?: number;
  /** Every failure rule that applies to this execution (fallbacks included). */
  triggered: FailureRule[];
}

/** A dependency failed when it was called and no call to it succeeded: a successful retry heals it. */
export function failedCalls(calls: readonly CallRecord[]): Set<CallName> {
  const called = new Set<CallName>();
  const succeeded = new Set<CallName>();
  for (const c of calls) {
    called.add(c.name);
    if (c.outcome.ok) succeeded.add(c.name);
  }
  return new Set([...called].filter((n) => !succeeded.has(n)));
}

function applies(rule: FailureRule, fixture: Fixture): boolean {
  const w = rule.when;
  if (!w) return true;
  if (w.eligible !== undefined && w.eligible !== fixture.user.firstPurchase) return false;
  if (w.adjustmentAboveZero !== undefined && w.adjustmentAboveZero !== fixture.adjustmentCents > 0) return false;
  return true;
}

export function expectationFor(oracle: Oracle, fixture: Fixture, calls: readonly CallRecord[]): Expectation {
  const failed = failedCalls(calls);
  const triggered = oracle.failures.filter((r) => failed.has(r.call) && applies(r, fixture));
  const decider = triggered.find((r) => r.outcome !== "continue");
  if (decider) return { owner: decider.rule, status: decider.outcome === "retry" ? "retry" : "error", triggered };
  const fallback = triggered[0];
  const adjustment = triggered.reduce((adj, r) => r.adjustmentCents ?? adj, fixture.adjustmentCents);
  return {
    owner: fallback ? fallback.rule : "happy-path",
    status: "ok",
    chargeCents: fixture.cart.totalCents - adjustment,
    triggered,
  };
}

interface Charge {
  chargeId: string;
  amountCents: number;
}

/** Distinct successful charges: a repeated idempotency key is the same charge. */
function successfulCharges(calls: readonly CallRecord[]): Charge[] {
  const byId = new Map<string, Charge>();
  for (const c of calls) {
    if (c.name !== "payments.charge" || !c.outcome.ok) continue;
    const value = c.outcome.value;
    const chargeId = value && typeof value === "object" && !Array.isArray(value) ? value["chargeId"] : undefined;
    const amount = c.args[1];
    if (typeof chargeId === "string" && typeof amount === "number")
      byId.set(chargeId, { chargeId, amountCents: amount });
  }
  return [...byId.values()];
}

/** The adjustment that was actually saved: the last successful cart update, or none. */
function appliedAdjustment(calls: readonly CallRecord[]): number {
  let applied = 0;
  for (const c of calls) {
    if (c.name === "carts.updateCart" && c.outcome.ok && typeof c.args[1] === "number") applied = c.args[1];
  }
  return applied;
}

export function describeStatus(expected: Expectation): string {
  return expected.status === "ok" ? `ok, charging ${expected.chargeCents} cents` : expected.status;
}

/** Parses the returned value; a rejection, hang, crash or malformed value is a `no-crash` failure. */
export function responseOf(record: ExecutionRecord): { response?: CheckoutResponse; problem?: string } {
  const s = record.settlement;
  if (s.kind === "threw") return { problem: `the handler threw instead of answering: ${s.message}` };
  if (s.kind === "timeout") return { problem: describeTimeout(s, "the handler") };
  if (s.kind === "stuck")
    return { problem: "the handler's promise can never settle: it waits for something that will never happen" };
  if (s.kind === "crashed") return { problem: `the handler's process failed: ${s.detail}` };
  const parsed = checkoutResponseSchema.safeParse(s.value);
  if (!parsed.success) {
    // Name what is missing or wrong, so a student who left out `reason` is not sent hunting for a crash.
    const what = parsed.error.issues
      .slice(0, 3)
      .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
      .join("; ");
    return {
      problem: `the handler returned ${JSON.stringify(s.value).slice(0, 120)}, which is not one of the three response shapes (${what})`,
    };
  }
  return { response: parsed.data };
}

export function judgeExecution(oracle: Oracle, fixture: Fixture, record: ExecutionRecord): RuleCheck[] {
  const checks: RuleCheck[] = [];
  const check = (rule: string, ok: boolean, message: string) => checks.push({ rule, ok, message: ok ? "" : message });
  const expected = expectationFor(oracle, fixture, record.calls);
  const { response, problem } = responseOf(record);
  const charges = successfulCharges(record.calls);
  const called = new Set(record.calls.map((c) => c.name));

  check("no-crash", !problem, problem ?? "");

  // The owner of the expected status; a missing or malformed answer fails it too.
  if (!response) {
    check(expected.owner, false, `expected ${describeStatus(expected)}, but ${problem ?? "there was no answer"}`);
  } else if (response.status !== expected.status) {
    check(expected.owner, false, `expected ${describeStatus(expected)}, got ${response.status}`);
  } else if (expected.status === "ok") {
    const paid = charges[0]?.amountCents;
    const priceOk = charges.length >= 1 && paid === expected.chargeCents;
    const emailOk =
      expected.owner !== "happy-path" || fixture.adjustmentCents === 0 || called.has("email.sendDiscountEmail");
    if (!priceOk)
      check(
        expected.owner,
        false,
        `expected a charge of ${expected.chargeCents} cents, the customer paid ${paid ?? "nothing"}`,
      );
    else if (!emailOk) check(expected.owner, false, "a discount was applied but the discount email was never sent");
    else check(expected.owner, true, "");
  } else {
    check(expected.owner, true, "");
  }

  for (const rule of expected.triggered) {
    const broken = rule.forbidCalls.filter((n) => called.has(n));
    if (broken.length) check(rule.rule, false, `after ${rule.call} failed, ${broken.join(" and ")} must not be called`);
  }

  const okStatus = response?.status === "ok";
  if (charges.length > 1) check("single-charge", false, `the customer was charged ${charges.length} times`);
  else if (!okStatus && charges.length === 1)
    check(
      "single-charge",
      false,
      `the customer was charged but the order was not placed (${response?.status ?? "no answer"})`,
    );
  else check("single-charge", true, "");

  if (response?.status === "ok") {
    const applied = appliedAdjustment(record.calls);
    const due = fixture.cart.totalCents - applied;
    const only = charges.length === 1 ? charges[0] : undefined;
    if (!only)
      check("charge-amount", false, `status ok needs exactly one successful charge, there were ${charges.length}`);
    else if (only.amountCents !== due)
      check(
        "charge-amount",
        false,
        `charged ${only.amountCents} cents, but the cart total minus the applied adjustment is ${due}`,
      );
    else if (response.chargedCents !== only.amountCents)
      check(
        "charge-amount",
        false,
        `charged ${only.amountCents} cents but reported chargedCents ${response.chargedCents}`,
      );
    else if (response.chargeId !== only.chargeId)
      check("charge-amount", false, `reported chargeId ${response.chargeId}, the charge was ${only.chargeId}`);
    else check("charge-amount", true, "");
  }
  return checks;
}
