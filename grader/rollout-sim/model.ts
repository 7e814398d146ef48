/**
 * The ride-sharing world the simulation draws from: traffic, cohorts and the healthy rates of every
 * metric. Numbers are plausible rather than measured; what matters is their relative size (a 1% arm
 * sees a handful of errors a minute, a small city a few requests).
 */

/** Mean ride requests per minute across the whole service, before the time-of-day swing. */
export const BASE_REQUESTS_PER_MINUTE = 12_000;
/** Peak-to-mean swing of traffic over a day (0.4: the evening peak is 40% above the mean). */
export const DAILY_SWING = 0.4;
/** Minute of the day when traffic peaks (18:00). */
export const PEAK_MINUTE_OF_DAY = 18 * 60;

export const CITIES = [
  { value: "metro", share: 0.62 },
  { value: "riverside", share: 0.33 },
  { value: "harbor", share: 0.05 },
] as const;
export const APP_VERSIONS = [
  { value: "5.1", share: 0.6 },
  { value: "5.0", share: 0.32 },
  { value: "4.9", share: 0.08 },
] as const;

export type Dimension = "city" | "appVersion";
export const DIMENSIONS: readonly Dimension[] = ["city", "appVersion"];
export const COHORT_VALUES: Record<Dimension, readonly string[]> = {
  city: CITIES.map((c) => c.value),
  appVersion: APP_VERSIONS.map((v) => v.value),
};

/** Share of all traffic in one cohort, e.g. ("city", "harbor") → 0.05. */
export function cohortShare(dimension: Dimension, value: string): number {
  const list = dimension === "city" ? CITIES : APP_VERSIONS;
  return list.find((c) => c.value === value)?.share ?? 0;
}

/** Healthy request error rate at average load; busier minutes fail a little more often. */
export const BASE_ERROR_RATE = 0.006;
/** Minute-to-minute wobble shared by both arms (a backend blip hits everyone), as a log-normal sigma. */
export const SHARED_ERROR_JITTER = 0.15;

/** Latency is log-normal: median in ms at average load, and its log-space spread. */
export const BASE_LATENCY_MEDIAN_MS = 120;
export const LATENCY_SIGMA = 0.45;
export const SHARED_LATENCY_JITTER = 0.04;
/** How much the median grows per unit of extra load (0.15: 40% more traffic, 6% slower). */
export const LATENCY_LOAD_SENSITIVITY = 0.15;

/** The priority-rides funnel (module 3): the chance of each step given the previous one. */
export const FUNNEL = {
  eligible: 0.55, // of ride requests: in a supported city with a recent app
  shown: 0.996, // of eligible: the option appeared
  selected: 0.14, // of shown: the rider chose priority
  driverAvailable: 0.85, // of selected: a priority driver was nearby
  received: 0.985, // of selected with a driver: the rider got a priority ride
} as const;

/** Load relative to the daily mean (1 = average) at a minute of the day. */
export function loadAt(minuteOfDay: number): number {
  return 1 + DAILY_SWING * Math.cos((2 * Math.PI * (minuteOfDay - PEAK_MINUTE_OF_DAY)) / 1440);
}
