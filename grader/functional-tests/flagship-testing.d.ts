/**
 * Types of the `flagship:testing` module that student test files import. At run time ./session.ts
 * provides it inside the sandbox; this declaration lets editors type-check the starter, reference and
 * samples. Keep it in step with ./session.ts, ./matchers.ts and the starter's header comment.
 */
declare module "flagship:testing" {
  export type FaultKind = "unavailable" | "timeout" | "internal" | "overloaded";
  export interface CheckoutRequest {
    userId: string;
    cartId: string;
    idempotencyKey: string;
  }
  export type CheckoutResponse =
    | { status: "ok"; chargedCents: number; chargeId: string }
    | { status: "retry"; reason: string }
    | { status: "error"; reason: string };
  export interface Mock {
    returns(value: unknown): void;
    fails(kind?: FaultKind): void;
    /** The arguments of each call the last checkout made. */
    readonly calls: unknown[][];
  }
  export interface Mocks {
    users: { getUser: Mock };
    carts: { getCart: Mock; updateCart: Mock };
    pricing: { getAdjustment: Mock };
    payments: { charge: Mock };
    email: { sendDiscountEmail: Mock };
  }
  export interface Matchers {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
    toStrictEqual(expected: unknown): void;
    toMatchObject(expected: unknown): void;
    toContain(expected: unknown): void;
    toHaveLength(expected: number): void;
    toBeGreaterThan(expected: number): void;
    toBeLessThan(expected: number): void;
    toBeUndefined(): void;
    toBeDefined(): void;
    toBeNull(): void;
    toBeTruthy(): void;
    toBeFalsy(): void;
  }
  export interface TestContext {
    checkout(request: CheckoutRequest): Promise<CheckoutResponse>;
    mocks: Mocks;
    flags: { set(name: string, on: boolean): void };
    expect(actual: unknown): Matchers & { not: Matchers };
  }
  export function test(name: string, fn: (t: TestContext) => Promise<void> | void): void;
  export const it: typeof test;
  export function describe(name: string, body: () => void): void;
}
