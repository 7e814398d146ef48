/**
 * The downstream services of the purchase app, played by the trusted grader. Each execution gets a
 * fresh instance so no state leaks between executions. A failed (injected) call has no effect.
 */
import { z } from "zod";
import type { CallName } from "./contract";
import type { Fixture } from "./oracle-schema";
import type { JsonValue } from "../result";

export type ServiceAnswer = { ok: true; value: JsonValue } | { ok: false; rejected: string };

const oneString = z.tuple([z.string()]);
const adjustmentArgs = z.tuple([z.string(), z.number().int()]);
const updateArgs = z.tuple([z.string(), z.number().int().min(0)]);
const chargeArgs = z.tuple([z.string(), z.number().int(), z.string().min(1)]);
const emailArgs = z.tuple([z.string(), z.number().int()]);

export class FakeServices {
  private appliedAdjustment = 0;
  /** Charges by idempotency key: a repeated key is the same charge, as a real payment API does. */
  private readonly charges = new Map<string, { chargeId: string; amountCents: number }>();

  constructor(private readonly fixture: Fixture) {}

  answer(name: CallName, args: readonly JsonValue[]): ServiceAnswer {
    const f = this.fixture;
    switch (name) {
      case "users.getUser": {
        const a = oneString.safeParse(args);
        if (!a.success || a.data[0] !== f.user.id) return reject(`no user ${show(args[0])}`);
        return { ok: true, value: { ...f.user } };
      }
      case "carts.getCart": {
        const a = oneString.safeParse(args);
        if (!a.success || a.data[0] !== f.cart.id) return reject(`no cart ${show(args[0])}`);
        return { ok: true, value: this.cart() };
      }
      case "pricing.getAdjustment": {
        const a = adjustmentArgs.safeParse(args);
        if (!a.success || a.data[0] !== f.user.id) return reject("expected (userId, totalCents) of this customer");
        return { ok: true, value: { adjustmentCents: f.adjustmentCents } };
      }
      case "carts.updateCart": {
        const a = updateArgs.safeParse(args);
        if (!a.success || a.data[0] !== f.cart.id)
          return reject("expected (cartId, adjustmentCents >= 0) of this cart");
        // Setting the adjustment, not subtracting again: a repeated update is harmless.
        this.appliedAdjustment = a.data[1];
        return { ok: true, value: this.cart() };
      }
      case "payments.charge": {
        const a = chargeArgs.safeParse(args);
        if (!a.success || a.data[0] !== f.user.id) return reject("expected (userId, amountCents, idempotencyKey)");
        const [, amountCents, key] = a.data;
        const earlier = this.charges.get(key);
        if (earlier && earlier.amountCents !== amountCents) return reject("idempotency key reused with another amount");
        const charge = earlier ?? { chargeId: `ch-${this.charges.size + 1}-${key}`, amountCents };
        this.charges.set(key, charge);
        return { ok: true, value: { chargeId: charge.chargeId } };
      }
      case "email.sendDiscountEmail": {
        const a = emailArgs.safeParse(args);
        if (!a.success || a.data[0] !== f.user.id) return reject("expected (userId, adjustmentCents)");
        return { ok: true, value: null };
      }
    }
  }

  private cart(): JsonValue {
    return { ...this.fixture.cart, totalCents: this.fixture.cart.totalCents - this.appliedAdjustment };
  }
}

function reject(why: string): ServiceAnswer {
  return { ok: false, rejected: why };
}

function show(value: JsonValue | undefined): string {
  return JSON.stringify(value ?? null).slice(0, 60);
}
