/**
 * The home-page gateway the student's tests run against, in the trusted grader, with its mocked
 * downstreams. `mutant` breaks exactly one fallback; with none it is the reference. Synchronous like
 * the checkout service, since the mocks answer at once.
 */
import type { JsonValue } from "../result";
import { formatIssues } from "../validation";
import {
  GATEWAY_RETURN_SCHEMAS,
  type Banner,
  type GatewayCall,
  type HomeRequest,
  type HomeResponse,
  type Recommendation,
  type Section,
} from "./gateway-contract";
import type { RecordedCall } from "./subject";

/** Each mutant is the reference with one fallback broken; mutants.yaml describes each in words. */
export const GATEWAY_MUTANT_IDS = [
  "profile-failure-served",
  "recommendations-failure-fails-page",
  "recommendations-timeout-fails-page",
  "promotions-failure-fails-page",
  "banner-on-failure",
  "degraded-not-reported",
  "both-soft-fail-page",
] as const;
export type GatewayMutant = (typeof GATEWAY_MUTANT_IDS)[number];

export type GatewayMocks = Partial<Record<GatewayCall, { returns: unknown } | { fails: string }>>;

/** A mocked call failed, with the fault kind the test chose. */
class GatewayFault extends Error {
  constructor(readonly kind: string) {
    super(kind);
  }
}

/** The banner a careless fallback invents: a discount nobody approved, shown to every rider. */
const WELCOME_BANNER: Banner = { text: "Welcome! 10% off your next ride", code: "WELCOME10" };

const defaults = (req: HomeRequest): Record<GatewayCall, JsonValue> => ({
  "profile.getProfile": { id: req.userId, name: "Ada" },
  "recommendations.getForUser": { items: [{ id: "r-1", title: "Ride to the airport" }] },
  "promotions.getBanner": { text: "Free delivery this weekend", code: "FREEWEEKEND" },
});

export function gatewayMockProblem(call: string, value: unknown): string | undefined {
  const schema = (GATEWAY_RETURN_SCHEMAS as Record<string, (typeof GATEWAY_RETURN_SCHEMAS)[GatewayCall] | undefined>)[
    call
  ];
  if (!schema) return `there is no downstream call ${call} to mock`;
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  const issue = formatIssues(parsed.error.issues)[0];
  return `mocks.${call}.returns(...) does not follow the ${call} contract: ${issue ? `${issue.path}: ${issue.message}` : "invalid value"}`;
}

export function runHome(
  req: HomeRequest,
  mocks: GatewayMocks,
  mutant?: GatewayMutant,
): { response: HomeResponse; calls: RecordedCall[] } {
  const is = (m: GatewayMutant) => mutant === m;
  const calls: RecordedCall[] = [];
  const call = (name: GatewayCall): JsonValue => {
    const args: JsonValue[] = [req.userId];
    const setting = mocks[name];
    calls.push({ call: name, args, failed: setting !== undefined && "fails" in setting });
    if (setting && "fails" in setting) throw new GatewayFault(setting.fails);
    return setting && "returns" in setting ? (setting.returns as JsonValue) : defaults(req)[name];
  };
  const unavailable = (error: string): { response: HomeResponse; calls: RecordedCall[] } => ({
    response: { status: 503, body: { error } },
    calls,
  });
  const kindOf = (error: unknown) => (error instanceof GatewayFault ? error.kind : "internal");

  let name: string;
  try {
    name = (call("profile.getProfile") as { name: string }).name;
  } catch {
    if (!is("profile-failure-served")) return unavailable("profile unavailable");
    name = "there";
  }

  const degraded: Section[] = [];
  let recommendations: Recommendation[] = [];
  try {
    recommendations = (call("recommendations.getForUser") as { items: Recommendation[] }).items;
  } catch (error) {
    if (is("recommendations-failure-fails-page")) return unavailable("recommendations unavailable");
    if (is("recommendations-timeout-fails-page") && kindOf(error) !== "unavailable")
      return unavailable("recommendations unavailable");
    degraded.push("recommendations");
  }

  let banner: Banner | null = null;
  try {
    banner = call("promotions.getBanner") as Banner | null;
  } catch {
    if (is("promotions-failure-fails-page")) return unavailable("promotions unavailable");
    if (is("banner-on-failure")) banner = WELCOME_BANNER;
    degraded.push("promotions");
  }

  if (degraded.length === 2 && is("both-soft-fail-page")) return unavailable("home page unavailable");
  return {
    response: {
      status: 200,
      body: { greeting: `Hi ${name}`, recommendations, banner, degraded: is("degraded-not-reported") ? [] : degraded },
    },
    calls,
  };
}
