/**
 * The downstream mocks of one checkout call, as a test configured them: each call answers with the
 * value the test set (checked against the downstream's contract first), fails with the fault kind the
 * test set, or answers a contract-following default. Every call is recorded, so a test can assert on
 * what was (or was not) called, and the grader can show it.
 */
import type { JsonValue } from "../result";
import { formatIssues } from "../validation";
import { RETURN_SCHEMAS, type CallName, type CheckoutRequest, type MockConfig } from "./contract";
import { MockFault, type Downstream } from "./service";

export interface RecordedCall {
  call: CallName;
  args: JsonValue[];
  failed: boolean;
}

/** A mock value that breaks the downstream's contract, named the way the test wrote it. */
export function mockConfigProblem(config: MockConfig): string | undefined {
  for (const [call, setting] of Object.entries(config)) {
    if (!("returns" in setting)) continue;
    const parsed = RETURN_SCHEMAS[call as CallName].safeParse(setting.returns);
    if (!parsed.success) {
      const issue = formatIssues(parsed.error.issues)[0];
      return `mocks.${call}.returns(...) does not follow the ${call} contract: ${issue ? `${issue.path}: ${issue.message}` : "invalid value"}`;
    }
  }
  return undefined;
}

export function mockedDownstream(
  req: CheckoutRequest,
  config: MockConfig,
): { call: Downstream; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  let lastCart: { id: string; userId: string; totalCents: number } = {
    id: req.cartId,
    userId: req.userId,
    totalCents: 10000,
  };
  const defaults = (call: CallName, args: JsonValue[]): JsonValue => {
    const userId = typeof args[0] === "string" ? args[0] : JSON.stringify(args[0] ?? null);
    if (call === "users.getUser") return { id: userId, email: `${userId}@example.com`, firstPurchase: false };
    if (call === "carts.getCart") return { ...lastCart };
    if (call === "pricing.getAdjustment") return { adjustmentCents: 0 };
    if (call === "carts.updateCart") return { ...lastCart, totalCents: lastCart.totalCents - Number(args[1] ?? 0) };
    if (call === "payments.charge") return { chargeId: "ch-1" };
    return null;
  };
  const call: Downstream = (name, args) => {
    const setting = config[name];
    if (setting && "fails" in setting) {
      calls.push({ call: name, args, failed: true });
      throw new MockFault(name, setting.fails);
    }
    const value = setting && "returns" in setting ? (setting.returns as JsonValue) : defaults(name, args);
    if (name === "carts.getCart") lastCart = value as typeof lastCart;
    calls.push({ call: name, args, failed: false });
    return value;
  };
  return { call, calls };
}
