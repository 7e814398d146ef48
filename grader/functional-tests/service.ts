/**
 * The checkout service the student's tests run against, in the trusted grader: the first-purchase
 * discount behind the `first-purchase-discount` flag, with the fallbacks of the partial-failure
 * lecture. `mutant` breaks exactly one rule; with none it is the reference. Written synchronously
 * because the mocked downstreams answer at once; the sandbox only ever sees its responses.
 */
import type { JsonValue } from "../result";
import type { CallName, FaultKind } from "../code/contract";
import { FLAG_NAME, type CheckoutRequest, type CheckoutResponse } from "./contract";
import type { MutantId } from "./mutants";

/** A mocked downstream failed the call. */
export class MockFault extends Error {
  constructor(
    readonly call: CallName,
    readonly kind: FaultKind,
  ) {
    super(`${call} failed (${kind})`);
  }
}

/** Answers one downstream call (or throws a MockFault); see ./mocks.ts. */
export type Downstream = (call: CallName, args: JsonValue[]) => JsonValue;

interface User {
  id: string;
  firstPurchase: boolean;
}
interface Cart {
  id: string;
  totalCents: number;
}

export function runCheckout(
  req: CheckoutRequest,
  flags: Record<string, boolean>,
  call: Downstream,
  mutant?: MutantId,
): CheckoutResponse {
  const is = (m: MutantId) => mutant === m;
  const flagOn = flags[FLAG_NAME] === true;
  let user: User;
  try {
    user = call("users.getUser", [req.userId]) as unknown as User;
  } catch {
    return { status: "error", reason: "user unavailable" };
  }
  let cart: Cart;
  try {
    cart = call("carts.getCart", [req.cartId]) as unknown as Cart;
  } catch {
    return { status: "error", reason: "cart unavailable" };
  }

  let adjustment = 0;
  if (flagOn || is("discount-with-flag-off")) {
    try {
      adjustment = (call("pricing.getAdjustment", [user.id, cart.totalCents]) as { adjustmentCents: number })
        .adjustmentCents;
    } catch {
      if (user.firstPurchase && !is("eligible-full-price")) return { status: "retry", reason: "pricing unavailable" };
      if (!user.firstPurchase && is("pricing-blocks-ineligible"))
        return { status: "error", reason: "pricing unavailable" };
    }
    if (is("flag-on-no-discount")) adjustment = 0;
  }

  let total = cart.totalCents;
  if (adjustment > 0) {
    try {
      total = (call("carts.updateCart", [cart.id, adjustment]) as unknown as Cart).totalCents;
    } catch {
      if (!is("update-cart-ignored")) return { status: "retry", reason: "could not apply the discount" };
    }
  }

  let chargeId: string;
  try {
    chargeId = (call("payments.charge", [user.id, total, req.idempotencyKey]) as { chargeId: string }).chargeId;
  } catch {
    if (is("charge-failure-accepted")) return { status: "ok", chargedCents: total, chargeId: "" };
    if (is("email-after-failed-charge") && adjustment > 0) sendEmail(call, user, adjustment);
    return { status: "error", reason: "payment failed" };
  }

  if (adjustment > 0 && !sendEmail(call, user, adjustment) && is("email-cancels-order")) {
    return { status: "error", reason: "discount email failed" };
  }
  return { status: "ok", chargedCents: total, chargeId };
}

/** The discount email is soft: a failure is swallowed (the caller learns of it only to misuse it in a mutant). */
function sendEmail(call: Downstream, user: User, adjustment: number): boolean {
  try {
    call("email.sendDiscountEmail", [user.id, adjustment]);
    return true;
  } catch {
    return false;
  }
}
