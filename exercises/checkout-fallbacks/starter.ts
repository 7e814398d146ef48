/**
 * Checkout for the sample purchase app: the "not great" version. Every dependency is treated as hard,
 * so any failure fails the whole checkout. Your task: keep the hard dependencies hard and give the
 * soft ones the fallbacks the business wants (see the exercise prompt).
 *
 * What you may import: only the module "flagship:checkout", which provides
 *   class ServiceError extends Error {
 *     kind: "unavailable" | "timeout" | "internal" | "overloaded";  // refused / deadline / HTTP 500 / HTTP 503
 *     status: number;        // 0 for a refused connection, else the HTTP status
 *     retryable: boolean;    // whether calling the same downstream AGAIN may succeed (false for "internal");
 *                            // not the same as answering status "retry" to the customer
 *   }
 *   interface CheckoutRequest { userId: string; cartId: string; idempotencyKey: string }
 *   interface Deps {
 *     users:    { getUser(userId: string): Promise<{ id: string; email: string; firstPurchase: boolean }> };
 *     carts:    { getCart(cartId: string): Promise<{ id: string; userId: string; totalCents: number }>;
 *                 updateCart(cartId: string, adjustmentCents: number): Promise<{ id: string; userId: string; totalCents: number }> };
 *     pricing:  { getAdjustment(userId: string, totalCents: number): Promise<{ adjustmentCents: number }> };  // 0 when not eligible
 *     payments: { charge(userId: string, amountCents: number, idempotencyKey: string): Promise<{ chargeId: string }> };
 *     email:    { sendDiscountEmail(userId: string, adjustmentCents: number): Promise<void> };
 *   }
 *   type CheckoutResponse =                                        // exactly one of these; `reason` is required
 *     | { status: "ok"; chargedCents: number; chargeId: string }   // the order is placed
 *     | { status: "retry"; reason: string }                        // ask the CUSTOMER to try again later
 *     | { status: "error"; reason: string };                       // the order is not placed
 *
 * Which answer for which failed call (the prompt has the full table): user or cart -> "error";
 * pricing for a returning customer -> go on at full price without updateCart; pricing for a first
 * purchase -> "retry"; updateCart -> "retry"; charge -> "error" and no email; email -> still "ok".
 * The two "retry" answers hold whatever the error's kind or `retryable`.
 *
 * Time budget: every checkout must answer within 1 s of simulated time. The clock advances only when
 * your code waits: on a timer (setTimeout jumps it, costing no real time) or on a downstream call
 * (10 ms each); Date.now() reads it. A loop that never ends is stopped by the steps it runs.
 *
 * Any call may fail by throwing a ServiceError; a failed call has no effect. Nothing else (node:fs,
 * require, dynamic import, the network) is available: the grader runs your code in a sandbox and
 * answers every call itself.
 */
import { type CheckoutRequest, type CheckoutResponse, type Deps } from "flagship:checkout";

export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
  try {
    const user = await deps.users.getUser(req.userId);
    const cart = await deps.carts.getCart(req.cartId);
    const { adjustmentCents } = await deps.pricing.getAdjustment(user.id, cart.totalCents);
    let total = cart.totalCents;
    if (adjustmentCents > 0) total = (await deps.carts.updateCart(cart.id, adjustmentCents)).totalCents;
    const { chargeId } = await deps.payments.charge(user.id, total, req.idempotencyKey);
    if (adjustmentCents > 0) await deps.email.sendDiscountEmail(user.id, adjustmentCents);
    return { status: "ok", chargedCents: total, chargeId };
  } catch (e) {
    // Not great: whichever dependency failed, the checkout fails.
    return { status: "error", reason: e instanceof Error ? e.message : "checkout failed" };
  }
}
