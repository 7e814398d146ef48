/**
 * Types of the `flagship:rides` module that student code imports. At run time ./session.ts provides it
 * inside the sandbox; this declaration lets editors type-check the starter, reference and samples.
 * Keep it in step with ./contract.ts and the starter's header comment.
 */
declare module "flagship:rides" {
  /** 0..99, stable per rider: the ramp lets a rider in when this is below the percentage. */
  export function bucketOf(riderId: string): number;

  export class ServiceError extends Error {
    kind: string;
    status: number;
    retryable: boolean;
  }

  export interface Rider {
    id: string;
    employee: boolean;
    priorityEligible: boolean;
  }
  export interface Trip {
    distanceKm: number;
    minutes: number;
  }
  export interface QuoteRequest {
    rider: Rider;
    trip: Trip;
  }
  export interface PriceQuote {
    cents: number;
    etaMinutes: number;
  }
  export type PriorityRidesFlag = { mode: "off" } | { mode: "employees" } | { mode: "ramp"; percent: number };
  export interface Deps {
    flags: { get(name: string): Promise<PriorityRidesFlag> };
    pricing: { standardQuote(trip: Trip): Promise<PriceQuote>; priorityQuote(trip: Trip): Promise<PriceQuote> };
  }
  export type QuoteResponse =
    | { status: "ok"; riderId: string; standardCents: number; etaMinutes: number; priority?: PriceQuote }
    | { status: "invalid"; reason: string };
}
