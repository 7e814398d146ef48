import { ServiceError, type CheckoutRequest, type CheckoutResponse, type Deps } from "flagship:checkout";

/** Reads are safe to repeat, so each gets one more chance before the failure counts. */
async function twice<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch {
    return await read();
  }
}

export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
  let user;
  try {
    user = await twice(() => deps.users.getUser(req.userId));
  } catch (e) {
    return { status: "error", reason: `user unavailable: ${describe(e)}` };
  }
  let cart;
  try {
    cart = await twice(() => deps.carts.getCart(req.cartId));
  } catch (e) {
    return { status: "error", reason: `cart unavailable: ${describe(e)}` };
  }
  let adjustmentCents = 0;
  try {
    adjustmentCents = (await twice(() => deps.pricing.getAdjustment(user.id, cart.totalCents))).adjustmentCents;
  } catch (e) {
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
  if (adjustmentCents > 0) await deps.email.sendDiscountEmail(user.id, adjustmentCents).catch(() => undefined);
  return { status: "ok", chargedCents: total, chargeId };
}

function describe(e: unknown): string {
  return e instanceof ServiceError ? `${e.kind} (${e.status})` : "unexpected failure";
}
