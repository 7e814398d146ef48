/**
 * Functional tests for the checkout service: each test sends one request in and checks the response
 * that comes out, with the downstream services mocked. One happy-path test is written; your task is to
 * add the tests that pin down the rest of the service's behaviour (see the exercise prompt).
 *
 * What you may import: only the module "flagship:testing", which provides
 *   test(name, async ({ checkout, mocks, flags, expect }) => { ... })    (also `it`, and `describe(name, () => { ... })`)
 * Inside a test:
 *   await checkout({ userId, cartId, idempotencyKey })
 *       runs the checkout service once and resolves with its response:
 *       { status: "ok", chargedCents, chargeId } | { status: "retry", reason } | { status: "error", reason }
 *   flags.set("first-purchase-discount", true | false)       // off unless set
 *   mocks.<service>.<method>.returns(value)                  // what that downstream call answers
 *   mocks.<service>.<method>.fails(kind?)                    // the call fails: "unavailable" (default), "timeout", "internal", "overloaded"
 *   mocks.<service>.<method>.calls                           // the arguments of each call made by the last checkout
 *   expect(value).toBe / toEqual / toMatchObject / toContain / toHaveLength / toBeGreaterThan /
 *                 toBeLessThan / toBeUndefined / toBeDefined / toBeNull / toBeTruthy / toBeFalsy, and .not
 * The mocks, with what they answer when you do not set them (mocked values must follow the contract):
 *   mocks.users.getUser(userId)             -> { id: userId, email: "<userId>@example.com", firstPurchase: false }
 *   mocks.carts.getCart(cartId)             -> { id: cartId, userId, totalCents: 10000 }
 *   mocks.pricing.getAdjustment(userId, totalCents) -> { adjustmentCents: 0 }
 *   mocks.carts.updateCart(cartId, adjustmentCents) -> the cart with totalCents reduced by the adjustment
 *   mocks.payments.charge(userId, amountCents, idempotencyKey) -> { chargeId: "ch-1" }
 *   mocks.email.sendDiscountEmail(userId, adjustmentCents)     -> null
 */
import { test } from "flagship:testing";

const request = { userId: "u-ada", cartId: "cart-ada", idempotencyKey: "order-ada-1" };

test("a first purchase gets the discount when the flag is on", async ({ checkout, mocks, flags, expect }) => {
  flags.set("first-purchase-discount", true);
  mocks.users.getUser.returns({ id: "u-ada", email: "ada@example.com", firstPurchase: true });
  mocks.pricing.getAdjustment.returns({ adjustmentCents: 1000 });

  const response = await checkout(request);

  expect(response).toMatchObject({ status: "ok", chargedCents: 9000 });
});
