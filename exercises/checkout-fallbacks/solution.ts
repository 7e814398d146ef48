// Reference solution: hard dependencies refuse the order, soft ones fall back, in contract order,
// one await after another and no retries.
import { ServiceError, type CheckoutRequest, type CheckoutResponse, type Deps } from "flagship:checkout";

export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
  let user;
  try {
    user = await deps.users.getUser(req.userId);
  } catch (e) {
    return { status: "error", reason: `user unavailable: ${describe(e)}` };
  }

  let cart;
  try {
    cart = await deps.carts.getCart(req.cartId);
  } catch (e) {
    return { status: "error", reason: `cart unavailable: ${describe(e)}` };
  }

  let adjustmentCents = 0;
  try {
    adjustmentCents = (await deps.pricing.getAdjustment(user.id, cart.totalCents)).adjustmentCents;
  } catch (e) {
    // A returning customer would have got 0 anyway; a first-time buyer may be buying for the discount.
    if (user.firstPurchase) return { status: "retry", reason: `pricing unavailable: ${describe(e)}` };
  }

  let total = cart.totalCents;
  if (adjustmentCents > 0) {
    try {
      total = (await deps.carts.updateCart(cart.id, adjustmentCents)).totalCents;
    } catch (e) {
      return { status: "retry", reason: `could not apply the discount: ${describe(e)}` };
    }
  }

  let chargeId;
  try {
    chargeId = (await deps.payments.charge(user.id, total, req.idempotencyKey)).chargeId;
  } catch (e) {
    return { status: "error", reason: `payment failed: ${describe(e)}` };
  }

  if (adjustmentCents > 0) {
    try {
      await deps.email.sendDiscountEmail(user.id, adjustmentCents);
    } catch {
      // The customer has paid; a missing email must not cancel the order.
    }
  }
  return { status: "ok", chargedCents: total, chargeId };
}

function describe(e: unknown): string {
  return e instanceof ServiceError ? e.kind : "unexpected failure";
}
