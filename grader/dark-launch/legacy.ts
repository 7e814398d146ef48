/**
 * The legacy quote handler, trusted and run in the grader: what every response must stay identical to
 * while the flag is off. The exercise's starter.ts is this same logic written for the student (a test
 * checks that the starter loses no point on the no-op rules).
 */
import { exposed, type FlagState, type QuoteRequest, type QuoteResponse } from "./contract";
import { priorityQuote, standardQuote, type PricingCall } from "./pricing";

export interface LegacyRun {
  response: QuoteResponse;
  /** The pricing calls legacy makes: a no-op rollout makes exactly these. */
  calls: PricingCall[];
}

export function legacyQuote(req: QuoteRequest): LegacyRun {
  const { rider, trip } = req;
  if (!(trip.distanceKm > 0) || !(trip.minutes > 0)) {
    return { response: { status: "invalid", reason: "a trip needs a positive distance and duration" }, calls: [] };
  }
  if (trip.distanceKm > 100)
    return { response: { status: "invalid", reason: "trips over 100 km are not offered" }, calls: [] };
  const standard = standardQuote(trip);
  const calls: PricingCall[] = [{ call: "pricing.standardQuote", args: [trip] }];
  return {
    response: { status: "ok", riderId: rider.id, standardCents: standard.cents, etaMinutes: standard.etaMinutes },
    calls,
  };
}

/** What the handler must answer: legacy, plus the priority option for an eligible rider the flag lets in. */
export function expectedQuote(req: QuoteRequest, flag: FlagState): QuoteResponse {
  const legacy = legacyQuote(req).response;
  if (legacy.status !== "ok" || !req.rider.priorityEligible || !exposed(flag, req.rider)) return legacy;
  return { ...legacy, priority: priorityQuote(req.trip) };
}
