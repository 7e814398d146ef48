// Reference solution: the legacy handler untouched on every path, and the priority option added only
// for an eligible rider the flag lets in (employees first, then riders whose bucket is below the ramp).
import { bucketOf, type Deps, type PriorityRidesFlag, type QuoteRequest, type QuoteResponse, type Rider } from "flagship:rides";

export async function quoteRide(req: QuoteRequest, deps: Deps): Promise<QuoteResponse> {
  const { rider, trip } = req;
  if (!(trip.distanceKm > 0) || !(trip.minutes > 0)) {
    return { status: "invalid", reason: "a trip needs a positive distance and duration" };
  }
  if (trip.distanceKm > 100) return { status: "invalid", reason: "trips over 100 km are not offered" };
  const standard = await deps.pricing.standardQuote(trip);
  const quote: QuoteResponse = { status: "ok", riderId: rider.id, standardCents: standard.cents, etaMinutes: standard.etaMinutes };
  // Only now does anything new happen, and only for riders the flag lets in: with the flag off this is legacy.
  if (rider.priorityEligible && inFlag(await deps.flags.get("priority-rides"), rider)) {
    quote.priority = await deps.pricing.priorityQuote(trip);
  }
  return quote;
}

function inFlag(flag: PriorityRidesFlag, rider: Rider): boolean {
  if (flag.mode === "off") return false;
  if (rider.employee) return true; // the internal cohort sees it before any public ramp
  return flag.mode === "ramp" && bucketOf(rider.id) < flag.percent; // stable per rider: in at 10% stays in at 20%
}
