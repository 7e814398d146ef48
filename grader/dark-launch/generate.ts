/**
 * Seeded generation of the inputs the handler is tested on, so a grade is reproducible: the same seed
 * gives the same riders, trips and flag states in the same order. Boundaries the lesson is about are
 * generated on purpose (trips of 0, 100 and 101 km; ramps of 0% and 100%; riders whose bucket sits
 * exactly at the ramp percentage), not left to chance.
 */
import { bucketOf, type FlagState, type Rider, type Trip } from "./contract";

export interface RideCase {
  rider: Rider;
  trip: Trip;
  flag: FlagState;
}

/** mulberry32: tiny, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RAMP_STEPS = [0, 1, 5, 10, 20, 50, 99, 100];

/** The first id of the form r-<n> (n from `from`) whose bucket is `bucket`. */
export function idInBucket(bucket: number, from = 1): string {
  for (let n = from; ; n++) if (bucketOf(`r-${n}`) === bucket) return `r-${n}`;
}

export function generateCases(seed: number, count: number): RideCase[] {
  const random = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const cases: RideCase[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const flag: FlagState =
      r < 0.3
        ? { mode: "off" }
        : r < 0.45
          ? { mode: "employees" }
          : { mode: "ramp", percent: random() < 0.7 ? pick(RAMP_STEPS) : int(0, 100) };
    const employee = random() < 0.25;
    const priorityEligible = random() < 0.7;
    // Riders right at the edge of the ramp show off-by-one bucketing.
    const atEdge = flag.mode === "ramp" && random() < 0.3;
    const id =
      atEdge && flag.mode === "ramp"
        ? idInBucket(Math.min(99, Math.max(0, flag.percent - int(0, 1))), int(1, 500))
        : `r-${int(1, 9999)}`;
    const d = random();
    const distanceKm = d < 0.06 ? 0 : d < 0.12 ? 100 : d < 0.18 ? 101 : d < 0.22 ? 1 : int(1, 120);
    const minutes = random() < 0.05 ? 0 : int(1, 90);
    cases.push({ rider: { id, employee, priorityEligible }, trip: { distanceKm, minutes }, flag });
  }
  return cases;
}

/** One eligible, non-employee rider in each of the 100 buckets, on one ordinary trip: the ramp's population. */
export function rampPopulation(seed: number): { riders: Rider[]; trip: Trip } {
  const random = prng(seed ^ 0x5bd1e995);
  const riders: Rider[] = [];
  for (let bucket = 0; bucket < 100; bucket++)
    riders.push({ id: idInBucket(bucket, 1 + Math.floor(random() * 1000)), employee: false, priorityEligible: true });
  return { riders, trip: { distanceKm: 5 + Math.floor(random() * 40), minutes: 10 + Math.floor(random() * 40) } };
}
