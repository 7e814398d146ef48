// Reference solution: the legacy handler untouched on every path, and the priority option added only
// for an eligible rider the flag lets in. The flag is evaluated the OpenFeature way: the flag system
// does the targeting (employees first, then a stable percentage split on the targeting key), and the
// default, used when the flag cannot be evaluated, is off.
import { type Deps, type QuoteRequest, type QuoteResponse } from "flagship:rides";

export async function quoteRide(req: QuoteRequest, deps: Deps): Promise<QuoteResponse> {
  const { rider, trip } = req;
  if (!(trip.distanceKm > 0) || !(trip.minutes > 0)) {
    return { status: "invalid", reason: "a trip needs a positive distance and duration" };
  }
  if (trip.distanceKm > 100) return { status: "invalid", reason: "trips over 100 km are not offered" };
  const standard = await deps.pricing.standardQuote(trip);
  const quote: QuoteResponse = { status: "ok", riderId: rider.id, standardCents: standard.cents, etaMinutes: standard.etaMinutes };
  // Only now does anything new happen, and only for riders the flag lets in: with the flag off this is legacy.
  if (rider.priorityEligible && (await deps.flags.getBooleanValue("priority-rides", false, { targetingKey: rider.id, employee: rider.employee }))) {
    quote.priority = await deps.pricing.priorityQuote(trip);
  }
  return quote;
}
