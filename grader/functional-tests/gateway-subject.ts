/** The home-page gateway as a functional-tests subject (see ./subject.ts). */
import { GATEWAY_CALLS, GATEWAY_MODULE, homeRequestSchema } from "./gateway-contract";
import { GATEWAY_MUTANT_IDS, gatewayMockProblem, runHome, type GatewayMutant } from "./gateway-service";
import type { Subject } from "./subject";

const isMutant = (id: string | undefined): id is GatewayMutant =>
  (GATEWAY_MUTANT_IDS as readonly string[]).includes(id ?? "");

export const gatewaySubject: Subject = {
  api: { module: GATEWAY_MODULE, entry: "home", calls: GATEWAY_CALLS },
  noun: "gateway",
  // The gateway has no flags of its own; the session still offers flags.set, which it ignores.
  context: "{ home, mocks, expect }",
  mutantIds: GATEWAY_MUTANT_IDS,
  requestSchema: homeRequestSchema,
  requestHint: "home(request) needs { userId }, a non-empty string",
  mockProblem: gatewayMockProblem,
  run(request, _flags, mocks, mutant) {
    const { response, calls } = runHome(homeRequestSchema.parse(request), mocks, isMutant(mutant) ? mutant : undefined);
    return { response: response, calls };
  },
};
