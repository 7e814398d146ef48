/**
 * The ride-quote service of the dark-launch exercise, as the trusted grader sees it: the request, the
 * flag states, the responses, and the stable bucket function riders are ramped by. The student-facing
 * half is the `flagship:rides` module built by ./session.ts inside the sandbox.
 */
import { z } from "zod";
import { bucketOf } from "./flag-client";

export const FLAG_NAME = "priority-rides";
export const MODULE_NAME = "flagship:rides";

export const riderSchema = z.object({ id: z.string().min(1), employee: z.boolean(), priorityEligible: z.boolean() });
export type Rider = z.infer<typeof riderSchema>;

export const tripSchema = z.object({ distanceKm: z.number(), minutes: z.number() });
export type Trip = z.infer<typeof tripSchema>;

export interface QuoteRequest {
  rider: Rider;
  trip: Trip;
}

/** The flag states of the ramp, from the dark launch to a public percentage. */
export type FlagState = { mode: "off" } | { mode: "employees" } | { mode: "ramp"; percent: number };

export interface PriceQuote {
  cents: number;
  etaMinutes: number;
}

export type QuoteResponse =
  | { status: "ok"; riderId: string; standardCents: number; etaMinutes: number; priority?: PriceQuote }
  | { status: "invalid"; reason: string };

/**
 * The stable bucket (0..99) riders are ramped by: one text, ./flag-client.ts's, for the grader and the
 * sandbox alike.
 */
export { bucketOf };

/** Whether the flag lets this rider in: the employee cohort first, then riders whose bucket is below the ramp. */
export function exposed(flag: FlagState, rider: Rider): boolean {
  if (flag.mode === "off") return false;
  if (rider.employee) return true;
  return flag.mode === "ramp" && bucketOf(rider.id) < flag.percent;
}

export function describeFlag(flag: FlagState): string {
  if (flag.mode === "off") return "off";
  if (flag.mode === "employees") return "on for employees only";
  return `ramped to ${flag.percent}% (employees always in)`;
}
