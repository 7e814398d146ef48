/**
 * The home-page API gateway of the resilience lecture, as the trusted grader sees it: `home({ userId })`
 * builds a rider's home page from three downstream services. The profile is a hard dependency; the
 * recommendations row and the promotions banner are soft, each with its own fallback. The
 * student-facing half is `flagship:gateway-testing` (./flagship-gateway-testing.d.ts).
 */
import { z } from "zod";

export const GATEWAY_MODULE = "flagship:gateway-testing";

export const GATEWAY_CALLS = ["profile.getProfile", "recommendations.getForUser", "promotions.getBanner"] as const;
export type GatewayCall = (typeof GATEWAY_CALLS)[number];

const bannerSchema = z.strictObject({ text: z.string(), code: z.string() });
export type Banner = z.infer<typeof bannerSchema>;
const itemSchema = z.strictObject({ id: z.string(), title: z.string() });
export type Recommendation = z.infer<typeof itemSchema>;

/** What each mock may return: exactly what the downstream's contract says it returns. */
export const GATEWAY_RETURN_SCHEMAS: Record<GatewayCall, z.ZodType> = {
  "profile.getProfile": z.strictObject({ id: z.string(), name: z.string().min(1) }),
  "recommendations.getForUser": z.strictObject({ items: z.array(itemSchema).max(20) }),
  "promotions.getBanner": z.union([bannerSchema, z.null()]),
};

export const homeRequestSchema = z.strictObject({ userId: z.string().min(1).max(100) });
export type HomeRequest = z.infer<typeof homeRequestSchema>;

/** The soft sections the page can lose; the app shows "some content is unavailable" for each listed. */
export type Section = "recommendations" | "promotions";

export type HomeResponse =
  | {
      status: 200;
      body: { greeting: string; recommendations: Recommendation[]; banner: Banner | null; degraded: Section[] };
    }
  | { status: 503; body: { error: string } };
