/**
 * The trusted fake pricing service: deterministic quotes from the trip the handler passes. The grader
 * answers the student's calls with it and the legacy handler uses the same functions, so any
 * difference in responses comes from the handler, never from the fake.
 */
import type { JsonValue } from "../result";
import { tripSchema, type PriceQuote, type Trip } from "./contract";

export function standardQuote(trip: Trip): PriceQuote {
  return { cents: 250 + trip.distanceKm * 120 + trip.minutes * 30, etaMinutes: 3 + (trip.distanceKm % 7) };
}

export function priorityQuote(trip: Trip): PriceQuote {
  const standard = standardQuote(trip);
  return { cents: Math.round(standard.cents * 1.4) + 200, etaMinutes: Math.max(1, standard.etaMinutes - 2) };
}

/** A pricing call as the grader records it: name and arguments. */
export interface PricingCall {
  call: "pricing.standardQuote" | "pricing.priorityQuote";
  args: JsonValue[];
}

/** Answers one pricing call from the sandbox, or refuses it the way a real service answers a 400. */
export function answerPricing(
  method: string,
  args: JsonValue[],
): { ok: true; value: PriceQuote } | { ok: false; rejected: string } {
  const trip = tripSchema.safeParse(args[0]);
  if (!trip.success) return { ok: false, rejected: `pricing.${method} expects a trip { distanceKm, minutes }` };
  if (method === "standardQuote") return { ok: true, value: standardQuote(trip.data) };
  if (method === "priorityQuote") return { ok: true, value: priorityQuote(trip.data) };
  return { ok: false, rejected: `pricing has no method ${method}` };
}
