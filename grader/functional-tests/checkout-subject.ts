/** The checkout service as a functional-tests subject (see ./subject.ts): the first exercise's. */
import { CALL_NAMES, MODULE_NAME, checkoutRequestSchema, type CallName } from "./contract";
import { mockConfigProblem, mockedDownstream } from "./mocks";
import { MUTANT_IDS, type MutantId } from "./mutants";
import { runCheckout } from "./service";
import type { Subject } from "./subject";

const isMutant = (id: string | undefined): id is MutantId => (MUTANT_IDS as readonly string[]).includes(id ?? "");

export const checkoutSubject: Subject = {
  api: { module: MODULE_NAME, entry: "checkout", calls: CALL_NAMES },
  noun: "checkout service",
  context: "{ checkout, mocks, flags, expect }",
  mutantIds: MUTANT_IDS,
  requestSchema: checkoutRequestSchema,
  requestHint: "checkout(request) needs { userId, cartId, idempotencyKey }, each a non-empty string",
  mockProblem: (call, value) => mockConfigProblem({ [call as CallName]: { returns: value } }),
  run(request, flags, mocks, mutant) {
    const req = checkoutRequestSchema.parse(request);
    const downstream = mockedDownstream(req, mocks);
    const response = runCheckout(req, flags, downstream.call, isMutant(mutant) ? mutant : undefined);
    return { response: response, calls: downstream.calls };
  },
};
