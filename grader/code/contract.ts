/**
 * The sample purchase app's contract, as the trusted grader sees it: the downstream calls a student's
 * `checkout(req, deps)` may make, the fault kinds the explorer injects, and the responses it may give.
 * The student-facing half (types and `ServiceError`) is the `flagship:checkout` module provided inside
 * the sandbox by the checkout session (sandbox/session.ts); both halves must agree with this file.
 */
import { z } from "zod";

export const FAULT_KINDS = ["unavailable", "timeout", "internal", "overloaded"] as const;
export const faultKindSchema = z.enum(FAULT_KINDS);
export type FaultKind = z.infer<typeof faultKindSchema>;

/**
 * How each injected fault looks to the student: the HTTP-ish status and whether a retry may help.
 * The error message names only the call, never the kind, so that kind, status and retryable are the
 * only ways to tell kinds apart (the reduction watches exactly those).
 */
export const FAULT_SHAPES: Record<FaultKind, { status: number; retryable: boolean }> = {
  unavailable: { status: 0, retryable: true }, // connection refused
  timeout: { status: 504, retryable: true }, // deadline exceeded
  internal: { status: 500, retryable: false }, // HTTP 500
  overloaded: { status: 503, retryable: true }, // HTTP 503
};

/** Every downstream call, named service.method; the order is the contract's natural order. */
export const CALL_NAMES = [
  "users.getUser",
  "carts.getCart",
  "pricing.getAdjustment",
  "carts.updateCart",
  "payments.charge",
  "email.sendDiscountEmail",
] as const;
export const callNameSchema = z.enum(CALL_NAMES);
export type CallName = z.infer<typeof callNameSchema>;

export const checkoutRequestSchema = z.object({
  userId: z.string().min(1),
  cartId: z.string().min(1),
  idempotencyKey: z.string().min(1),
});

/** What a handler must settle with; anything else is a `no-crash` failure. */
export const checkoutResponseSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("ok"), chargedCents: z.number().int(), chargeId: z.string() }),
  z.object({ status: z.literal("retry"), reason: z.string() }),
  z.object({ status: z.literal("error"), reason: z.string() }),
]);
export type CheckoutResponse = z.infer<typeof checkoutResponseSchema>;
export type CheckoutStatus = CheckoutResponse["status"];
