/**
 * Ride quotes for the ride-sharing app, as they work today (the legacy handler). Your task: add the
 * priority-rides option behind the feature flag "priority-rides" (see the exercise prompt).
 *
 * What you may import: only the module "flagship:rides", which provides
 *   function bucketOf(riderId: string): number;   // 0..99, the same number for the same rider, always
 *   class ServiceError extends Error { kind: string; status: number; retryable: boolean }
 *   interface Rider { id: string; employee: boolean; priorityEligible: boolean }
 *   interface Trip { distanceKm: number; minutes: number }
 *   interface QuoteRequest { rider: Rider; trip: Trip }
 *   interface PriceQuote { cents: number; etaMinutes: number }
 *   interface EvaluationContext { targetingKey?: string; [attribute: string]: ... }
 *   interface FlagClient {                      // the OpenFeature evaluation API, as real flag clients offer it
 *     getBooleanValue(flagKey: string, defaultValue: boolean, context?: EvaluationContext): Promise<boolean>;
 *     getBooleanDetails(flagKey, defaultValue, context?): Promise<{ flagKey, value, variant?, reason?, errorCode?, errorMessage?, flagMetadata }>;
 *     getStringValue / getNumberValue / getObjectValue (and ...Details) likewise;
 *     get(name: string): Promise<PriorityRidesFlag>;   // deprecated: the raw flag state, from the exercise's first version
 *   }
 *   interface Deps {
 *     flags:   FlagClient;                        // an evaluation never throws: if it cannot be made, it answers defaultValue
 *     pricing: { standardQuote(trip: Trip): Promise<PriceQuote>;
 *                priorityQuote(trip: Trip): Promise<PriceQuote> };
 *   }
 *   type QuoteResponse =
 *     | { status: "ok"; riderId: string; standardCents: number; etaMinutes: number; priority?: PriceQuote }
 *     | { status: "invalid"; reason: string };
 *
 * Nothing else (node:fs, require, dynamic import, the network) is available: the grader runs your code
 * in a sandbox and answers every call itself.
 */
import { type Deps, type QuoteRequest, type QuoteResponse } from "flagship:rides";

export async function quoteRide(req: QuoteRequest, deps: Deps): Promise<QuoteResponse> {
  const { rider, trip } = req;
  if (!(trip.distanceKm > 0) || !(trip.minutes > 0)) {
    return { status: "invalid", reason: "a trip needs a positive distance and duration" };
  }
  if (trip.distanceKm > 100) return { status: "invalid", reason: "trips over 100 km are not offered" };
  const standard = await deps.pricing.standardQuote(trip);
  return { status: "ok", riderId: rider.id, standardCents: standard.cents, etaMinutes: standard.etaMinutes };
}
