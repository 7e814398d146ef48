// Reference tests: every rule of the checkout service, with the flag off and on, and a negative case
// for each downstream that can fail. Assertions look at the response and at the calls that were made.
import { test, describe } from "flagship:testing";

const request = { userId: "u-ada", cartId: "cart-ada", idempotencyKey: "order-ada-1" };
const firstTimer = { id: "u-ada", email: "ada@example.com", firstPurchase: true };
const returning = { id: "u-ada", email: "ada@example.com", firstPurchase: false };

describe("flag on", () => {
  test("a first purchase is charged the discounted total and told about the discount", async ({ checkout, mocks, flags, expect }) => {
    flags.set("first-purchase-discount", true);
    mocks.users.getUser.returns(firstTimer);
    mocks.pricing.getAdjustment.returns({ adjustmentCents: 1000 });
    expect(await checkout(request)).toEqual({ status: "ok", chargedCents: 9000, chargeId: "ch-1" });
    expect(mocks.payments.charge.calls).toEqual([["u-ada", 9000, "order-ada-1"]]);
    expect(mocks.email.sendDiscountEmail.calls).toEqual([["u-ada", 1000]]);
  });

  test("a failed discount email does not cancel a paid order", async ({ checkout, mocks, flags, expect }) => {
    flags.set("first-purchase-discount", true);
    mocks.users.getUser.returns(firstTimer);
    mocks.pricing.getAdjustment.returns({ adjustmentCents: 1000 });
    mocks.email.sendDiscountEmail.fails("timeout");
    expect(await checkout(request)).toEqual({ status: "ok", chargedCents: 9000, chargeId: "ch-1" });
  });

  test("a returning customer checks out at full price when pricing is down", async ({ checkout, mocks, flags, expect }) => {
    flags.set("first-purchase-discount", true);
    mocks.users.getUser.returns(returning);
    mocks.pricing.getAdjustment.fails();
    expect(await checkout(request)).toEqual({ status: "ok", chargedCents: 10000, chargeId: "ch-1" });
    expect(mocks.carts.updateCart.calls).toEqual([]);
  });

  test("a first purchase is asked to retry, not charged, when pricing is down", async ({ checkout, mocks, flags, expect }) => {
    flags.set("first-purchase-discount", true);
    mocks.users.getUser.returns(firstTimer);
    mocks.pricing.getAdjustment.fails("overloaded");
    expect(await checkout(request)).toMatchObject({ status: "retry" });
    expect(mocks.payments.charge.calls).toHaveLength(0);
  });

  test("a discount that cannot be saved asks to retry and charges nothing", async ({ checkout, mocks, flags, expect }) => {
    flags.set("first-purchase-discount", true);
    mocks.users.getUser.returns(firstTimer);
    mocks.pricing.getAdjustment.returns({ adjustmentCents: 1000 });
    mocks.carts.updateCart.fails("internal");
    expect(await checkout(request)).toMatchObject({ status: "retry" });
    expect(mocks.payments.charge.calls).toHaveLength(0);
  });

  test("a failed charge refuses the order and sends no discount email", async ({ checkout, mocks, flags, expect }) => {
    flags.set("first-purchase-discount", true);
    mocks.users.getUser.returns(firstTimer);
    mocks.pricing.getAdjustment.returns({ adjustmentCents: 1000 });
    mocks.payments.charge.fails();
    expect(await checkout(request)).toMatchObject({ status: "error" });
    expect(mocks.email.sendDiscountEmail.calls).toHaveLength(0);
  });
});

describe("flag off", () => {
  test("a first purchase is charged full price with no pricing call and no email", async ({ checkout, mocks, flags, expect }) => {
    flags.set("first-purchase-discount", false);
    mocks.users.getUser.returns(firstTimer);
    mocks.pricing.getAdjustment.returns({ adjustmentCents: 1000 });
    expect(await checkout(request)).toEqual({ status: "ok", chargedCents: 10000, chargeId: "ch-1" });
    expect(mocks.pricing.getAdjustment.calls).toHaveLength(0);
    expect(mocks.email.sendDiscountEmail.calls).toHaveLength(0);
  });

  test("a missing user refuses the order", async ({ checkout, mocks, expect }) => {
    mocks.users.getUser.fails();
    expect(await checkout(request)).toMatchObject({ status: "error" });
    expect(mocks.payments.charge.calls).toHaveLength(0);
  });
});
