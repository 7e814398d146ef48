/**
 * The functional-tests exercise as the trusted grader sees it: the flag, the downstream calls a test
 * can mock, what a mock may be told (return a value that follows the downstream contract, or fail
 * with a fault kind), and the checkout request. The student-facing half is the `flagship:testing`
 * module built by ./session.ts inside the sandbox.
 */
import { z } from "zod";
import { CALL_NAMES, faultKindSchema, type CallName } from "../code/contract";

export const MODULE_NAME = "flagship:testing";
export const FLAG_NAME = "first-purchase-discount";
export { CALL_NAMES, type CallName };

const userSchema = z.strictObject({ id: z.string(), email: z.string(), firstPurchase: z.boolean() });
const cartSchema = z.strictObject({ id: z.string(), userId: z.string(), totalCents: z.number().int().min(0) });

/** What each mock may return: exactly what the downstream's contract says it returns. */
export const RETURN_SCHEMAS: Record<CallName, z.ZodType> = {
  "users.getUser": userSchema,
  "carts.getCart": cartSchema,
  "carts.updateCart": cartSchema,
  "pricing.getAdjustment": z.strictObject({ adjustmentCents: z.number().int().min(0) }),
  "payments.charge": z.strictObject({ chargeId: z.string() }),
  "email.sendDiscountEmail": z.null(),
};

export const mockSettingSchema = z.union([
  z.strictObject({ returns: z.unknown() }),
  z.strictObject({ fails: faultKindSchema }),
]);

/** The mocks of one checkout call, keyed by call name; unset calls answer with contract defaults. */
export const mockConfigSchema = z.partialRecord(z.enum(CALL_NAMES), mockSettingSchema);
export type MockConfig = z.infer<typeof mockConfigSchema>;

export const flagStateSchema = z.record(z.string().max(100), z.boolean());

export const checkoutRequestSchema = z.strictObject({
  userId: z.string().min(1),
  cartId: z.string().min(1),
  idempotencyKey: z.string().min(1),
});
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

export type CheckoutResponse =
  | { status: "ok"; chargedCents: number; chargeId: string }
  | { status: "retry"; reason: string }
  | { status: "error"; reason: string };
