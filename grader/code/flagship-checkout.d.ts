/**
 * Types of the `flagship:checkout` module that student code imports. At run time the checkout session in
 * the sandbox (sandbox/session.ts) provides it; this declaration lets the reference, the samples and editors type-check.
 * Keep it in step with grader/code/contract.ts and the starter's header comment.
 */
declare module "flagship:checkout" {
  export type FaultKind = "unavailable" | "timeout" | "internal" | "overloaded";

  export class ServiceError extends Error {
    kind: FaultKind;
    /** 0 for a refused connection, otherwise the HTTP status (504, 500, 503). */
    status: number;
    /**
     * Whether calling the same downstream again may succeed (false for "internal"). Not the same as
     * answering status "retry", which asks the customer to try the checkout again later.
     */
    retryable: boolean;
  }

  export interface CheckoutRequest {
    userId: string;
    cartId: string;
    idempotencyKey: string;
  }

  export interface User {
    id: string;
    email: string;
    firstPurchase: boolean;
  }

  export interface Cart {
    id: string;
    userId: string;
    totalCents: number;
  }

  export interface Deps {
    users: { getUser(userId: string): Promise<User> };
    carts: {
      getCart(cartId: string): Promise<Cart>;
      updateCart(cartId: string, adjustmentCents: number): Promise<Cart>;
    };
    pricing: { getAdjustment(userId: string, totalCents: number): Promise<{ adjustmentCents: number }> };
    payments: { charge(userId: string, amountCents: number, idempotencyKey: string): Promise<{ chargeId: string }> };
    email: { sendDiscountEmail(userId: string, adjustmentCents: number): Promise<void> };
  }

  /** Exactly one of these; `reason` is required with "retry" and "error". */
  export type CheckoutResponse =
    /** The order is placed: what was charged, and the charge's id. */
    | { status: "ok"; chargedCents: number; chargeId: string }
    /** Ask the customer to try the checkout again later. */
    | { status: "retry"; reason: string }
    /** The order is not placed. */
    | { status: "error"; reason: string };
}
