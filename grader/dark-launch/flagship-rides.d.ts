/**
 * Types of the `flagship:rides` module that student code imports. At run time ./session.ts provides it
 * inside the sandbox; this declaration lets editors type-check the starter, reference and samples.
 * Keep it in step with ./contract.ts, ./flag-client.ts and the starter's header comment.
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

  /** The OpenFeature evaluation API (openfeature.dev), as a real flag client offers it. */
  export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
  export type EvaluationContextValue =
    boolean | number | string | null | EvaluationContextValue[] | { [key: string]: EvaluationContextValue };
  /** Who the flag is evaluated for: `targetingKey` identifies them (percentage rollouts split on it). */
  export interface EvaluationContext {
    targetingKey?: string;
    [attribute: string]: EvaluationContextValue | undefined;
  }
  export type ErrorCode = "FLAG_NOT_FOUND" | "TYPE_MISMATCH" | "TARGETING_KEY_MISSING" | "INVALID_CONTEXT";
  export interface EvaluationDetails<T> {
    flagKey: string;
    value: T;
    variant?: string;
    reason?: string;
    errorCode?: ErrorCode;
    errorMessage?: string;
    flagMetadata: Record<string, boolean | number | string>;
  }
  /**
   * An evaluation never throws: when it cannot be made (unknown flag, wrong type, a rollout without a
   * targetingKey) it answers `defaultValue`, and the details say why.
   */
  export interface FlagClient {
    getBooleanValue(flagKey: string, defaultValue: boolean, context?: EvaluationContext): Promise<boolean>;
    getBooleanDetails(
      flagKey: string,
      defaultValue: boolean,
      context?: EvaluationContext,
    ): Promise<EvaluationDetails<boolean>>;
    getStringValue(flagKey: string, defaultValue: string, context?: EvaluationContext): Promise<string>;
    getStringDetails(
      flagKey: string,
      defaultValue: string,
      context?: EvaluationContext,
    ): Promise<EvaluationDetails<string>>;
    getNumberValue(flagKey: string, defaultValue: number, context?: EvaluationContext): Promise<number>;
    getNumberDetails(
      flagKey: string,
      defaultValue: number,
      context?: EvaluationContext,
    ): Promise<EvaluationDetails<number>>;
    getObjectValue<T extends JsonValue = JsonValue>(
      flagKey: string,
      defaultValue: T,
      context?: EvaluationContext,
    ): Promise<T>;
    getObjectDetails<T extends JsonValue = JsonValue>(
      flagKey: string,
      defaultValue: T,
      context?: EvaluationContext,
    ): Promise<EvaluationDetails<T>>;
    /** @deprecated The raw flag state, from the exercise's first version; evaluate with getBooleanValue instead. */
    get(name: string): Promise<PriorityRidesFlag>;
  }
  export interface Deps {
    flags: FlagClient;
    pricing: { standardQuote(trip: Trip): Promise<PriceQuote>; priorityQuote(trip: Trip): Promise<PriceQuote> };
  }
  export type QuoteResponse =
    | { status: "ok"; riderId: string; standardCents: number; etaMinutes: number; priority?: PriceQuote }
    | { status: "invalid"; reason: string };
}
