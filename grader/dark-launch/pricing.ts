/**
 * The trusted fake pricing service: deterministic quotes from the trip the handler passes. The legacy
 * handler uses the same functions as the answers the handler gets, so any difference in responses
 * comes from the handler, never from the fake.
 *
 * `pricingService` is self-contained (no imports, nothing from outside its body) because it runs in
 * two places from one text: here in the grader, and inside the sandbox, where ./session.ts answers
 * each pricing call itself while the grader records it (the answer is a pure function of the trip;
 * see grader/code/README.md, "What the sandbox may answer itself"). A call it refuses goes to the
 * grader, which refuses it with the same words.
 */
import type { JsonValue } from "../result";
import type { PriceQuote, Trip } from "./contract";

/** A pricing call as the grader records it: name and arguments. */
export interface PricingCall {
  call: "pricing.standardQuote" | "pricing.priorityQuote";
  args: JsonValue[];
}

export type PricingAnswer = { ok: true; value: PriceQuote } | { ok: false; rejected: string };

export interface PricingService {
  standardQuote: (trip: Trip) => PriceQuote;
  priorityQuote: (trip: Trip) => PriceQuote;
  /** Answers one pricing call, its arguments as they arrive in JSON, or refuses it as a real service answers a 400. */
  answerPricing: (method: string, args: readonly JsonValue[]) => PricingAnswer;
}

export function pricingService(): PricingService {
  "use strict";
  const round = Math.round;
  const max = Math.max;
  const isArray = Array.isArray;
  const isNumber = (value: unknown): value is number => typeof value === "number" && value - value === 0;

  function standardQuote(trip: Trip): PriceQuote {
    return { cents: 250 + trip.distanceKm * 120 + trip.minutes * 30, etaMinutes: 3 + (trip.distanceKm % 7) };
  }

  function priorityQuote(trip: Trip): PriceQuote {
    const standard = standardQuote(trip);
    return { cents: round(standard.cents * 1.4) + 200, etaMinutes: max(1, standard.etaMinutes - 2) };
  }

  function answerPricing(method: string, args: readonly JsonValue[]): PricingAnswer {
    const raw = args[0];
    const record = typeof raw === "object" && raw !== null && !isArray(raw) ? raw : undefined;
    const distanceKm = record ? record["distanceKm"] : undefined;
    const minutes = record ? record["minutes"] : undefined;
    if (!isNumber(distanceKm) || !isNumber(minutes))
      return { ok: false, rejected: "pricing." + method + " expects a trip { distanceKm, minutes }" };
    const trip = { distanceKm, minutes };
    if (method === "standardQuote") return { ok: true, value: standardQuote(trip) };
    if (method === "priorityQuote") return { ok: true, value: priorityQuote(trip) };
    return { ok: false, rejected: "pricing has no method " + method };
  }

  return { standardQuote, priorityQuote, answerPricing };
}

/** The grader's own copy: for the calls the sandbox passes on, and for the legacy handler. */
export const { standardQuote, priorityQuote, answerPricing } = pricingService();
