/**
 * One simulated minute of a flag ramp: traffic split between the control arm (flag off) and the
 * treatment arm (flag on, `percent` of users), and per arm, for the whole service and for every city
 * and app version, the request and error counts, the latency percentiles and the priority-rides
 * funnel. Both arms run priority rides; the flag switches the new implementation on, so every funnel
 * rate is comparable between them.
 *
 * A minute depends only on (scenario, seed, minute, percent): it has its own random stream.
 */
import {
  APP_VERSIONS,
  BASE_ERROR_RATE,
  BASE_LATENCY_MEDIAN_MS,
  BASE_REQUESTS_PER_MINUTE,
  CITIES,
  FUNNEL,
  LATENCY_LOAD_SENSITIVITY,
  LATENCY_SIGMA,
  SHARED_ERROR_JITTER,
  SHARED_LATENCY_JITTER,
  loadAt,
  type Dimension,
} from "./model";
import { binomial, normal, poisson, streamFor, type Rng } from "./prng";
import { normalCdf, normalPdf, normalQuantile } from "./stats";
import { strengthAt, type Effect, type Scenario } from "./scenarios";

export type Arm = "control" | "treatment";
export const ARMS: readonly Arm[] = ["control", "treatment"];

/** "all", or one cohort such as "city:harbor" or "appVersion:4.9". */
export type GroupKey = string;
export const ALL: GroupKey = "all";
export const groupKey = (dimension: Dimension, value: string): GroupKey => `${dimension}:${value}`;
export const GROUP_KEYS: readonly GroupKey[] = [
  ALL,
  ...CITIES.map((c) => groupKey("city", c.value)),
  ...APP_VERSIONS.map((v) => groupKey("appVersion", v.value)),
];

export interface GroupMetrics {
  requests: number;
  errors: number;
  /** errors / requests; null when the group had no request this minute. */
  errorRate: number | null;
  /** Latency percentiles in ms, as a tracing backend estimates them from this minute's requests; null without requests. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  eligible: number;
  shown: number;
  selected: number;
  /** Riders who selected priority while a priority driver was available: the not-served denominator. */
  selectedWithDriver: number;
  received: number;
  /** shown / eligible (the lecture's rollout metric). */
  shownRate: number | null;
  /** received / selectedWithDriver (one minus the lecture's not-served error). */
  receivedRate: number | null;
}

export interface MinuteRecord {
  /** Minute of the rollout, 0 = the first step starts. */
  minute: number;
  minuteOfDay: number;
  percent: number;
  arms: Record<Arm, Record<GroupKey, GroupMetrics>>;
}

/** Where in the day the rollout starts: between 08:00 and 20:00, from the seed, so seasonality differs per seed. */
export function startMinuteOfDay(seed: number): number {
  const rng = streamFor(seed, 0x5eed);
  return 8 * 60 + Math.floor(rng.next() * 12 * 60);
}

function appliesTo(effect: Effect, arm: Arm, city: string, version: string): boolean {
  if (effect.arms === "treatment" && arm !== "treatment") return false;
  if (!effect.cohort) return true;
  return effect.cohort.dimension === "city" ? effect.cohort.value === city : effect.cohort.value === version;
}

/** The multiplier all effects of one target put on an arm (and cell) this minute. */
function factorFor(
  scenario: Scenario,
  target: Effect["target"],
  minute: number,
  arm: Arm,
  city = "",
  version = "",
): number {
  let factor = 1;
  for (const effect of scenario.effects) {
    if (effect.target !== target || !appliesTo(effect, arm, city, version)) continue;
    const s = strengthAt(effect, minute);
    factor *= 1 + (effect.factor - 1) * s;
  }
  return factor;
}

function tailFor(scenario: Scenario, minute: number, arm: Arm): { fraction: number; factor: number } {
  for (const effect of scenario.effects) {
    if (effect.target !== "latencyTail" || !appliesTo(effect, arm, "", "")) continue;
    const s = strengthAt(effect, minute);
    if (s > 0) return { fraction: (effect.tailFraction ?? 0) * s, factor: effect.factor };
  }
  return { fraction: 0, factor: 1 };
}

/**
 * A latency percentile as a tracing backend reports it: the true quantile of the (possibly mixed)
 * log-normal, plus the sampling error of a quantile estimated from `n` requests, whose standard
 * deviation is sqrt(q(1−q)/n) / density at the quantile.
 */
function latencyQuantile(
  rng: Rng,
  q: number,
  n: number,
  mu: number,
  tail: { fraction: number; factor: number },
): number {
  const sigma = LATENCY_SIGMA;
  const logTail = Math.log(tail.factor);
  const cdf = (logX: number) =>
    (1 - tail.fraction) * normalCdf((logX - mu) / sigma) + tail.fraction * normalCdf((logX - mu - logTail) / sigma);
  let logX: number;
  if (tail.fraction === 0) logX = mu + sigma * normalQuantile(q);
  else {
    let lo = mu - 6 * sigma;
    let hi = mu + logTail + 6 * sigma;
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (cdf(mid) < q) lo = mid;
      else hi = mid;
    }
    logX = (lo + hi) / 2;
  }
  const x = Math.exp(logX);
  const densityLog =
    ((1 - tail.fraction) * normalPdf((logX - mu) / sigma) + tail.fraction * normalPdf((logX - mu - logTail) / sigma)) /
    sigma;
  const density = densityLog / x;
  const sd = Math.sqrt((q * (1 - q)) / Math.max(n, 1)) / density;
  // A small sample cannot report a quantile far outside the distribution; clamp the estimate's error.
  return Math.max(1, x + Math.max(-3, Math.min(3, normal(rng))) * sd);
}

interface Cell {
  arm: Arm;
  city: string;
  version: string;
  counts: Omit<GroupMetrics, "errorRate" | "p50" | "p95" | "p99" | "shownRate" | "receivedRate">;
}

const zeroCounts = (): Cell["counts"] => ({
  requests: 0,
  errors: 0,
  eligible: 0,
  shown: 0,
  selected: 0,
  selectedWithDriver: 0,
  received: 0,
});

export function simulateMinute(scenario: Scenario, seed: number, minute: number, percent: number): MinuteRecord {
  const rng = streamFor(seed, minute, Math.round(percent * 100));
  const minuteOfDay = (startMinuteOfDay(seed) + minute) % 1440;
  const load = loadAt(minuteOfDay);
  const sharedErrors = Math.exp(SHARED_ERROR_JITTER * normal(rng));
  const sharedLatency = Math.exp(SHARED_LATENCY_JITTER * normal(rng));
  const cells: Cell[] = [];
  for (const arm of ARMS) {
    const armShare = arm === "treatment" ? percent / 100 : 1 - percent / 100;
    for (const city of CITIES) {
      for (const version of APP_VERSIONS) {
        const counts = zeroCounts();
        counts.requests = poisson(rng, BASE_REQUESTS_PER_MINUTE * load * armShare * city.share * version.share);
        const errorP = Math.min(
          0.95,
          BASE_ERROR_RATE *
            (1 + 0.3 * (load - 1)) *
            sharedErrors *
            factorFor(scenario, "errorRate", minute, arm, city.value, version.value),
        );
        counts.errors = binomial(rng, counts.requests, errorP);
        counts.eligible = binomial(rng, counts.requests, FUNNEL.eligible);
        const notShownP = Math.min(
          1,
          (1 - FUNNEL.shown) * factorFor(scenario, "notShown", minute, arm, city.value, version.value),
        );
        counts.shown = counts.eligible - binomial(rng, counts.eligible, notShownP);
        counts.selected = binomial(rng, counts.shown, FUNNEL.selected);
        counts.selectedWithDriver = binomial(rng, counts.selected, FUNNEL.driverAvailable);
        const notServedP = Math.min(
          1,
          (1 - FUNNEL.received) * factorFor(scenario, "notServed", minute, arm, city.value, version.value),
        );
        counts.received = counts.selectedWithDriver - binomial(rng, counts.selectedWithDriver, notServedP);
        cells.push({ arm, city: city.value, version: version.value, counts });
      }
    }
  }
  const arms = { control: {}, treatment: {} } as Record<Arm, Record<GroupKey, GroupMetrics>>;
  for (const arm of ARMS) {
    const mu = Math.log(
      BASE_LATENCY_MEDIAN_MS *
        (1 + LATENCY_LOAD_SENSITIVITY * (load - 1)) *
        sharedLatency *
        factorFor(scenario, "latency", minute, arm),
    );
    const tail = tailFor(scenario, minute, arm);
    // One pass over the cells, adding each to the three groups it belongs to (the hot loop of a grading).
    const sums = new Map<GroupKey, Cell["counts"]>(GROUP_KEYS.map((key) => [key, zeroCounts()]));
    for (const c of cells) {
      if (c.arm !== arm) continue;
      for (const key of [ALL, groupKey("city", c.city), groupKey("appVersion", c.version)]) {
        const sum = sums.get(key) as Cell["counts"];
        sum.requests += c.counts.requests;
        sum.errors += c.counts.errors;
        sum.eligible += c.counts.eligible;
        sum.shown += c.counts.shown;
        sum.selected += c.counts.selected;
        sum.selectedWithDriver += c.counts.selectedWithDriver;
        sum.received += c.counts.received;
      }
    }
    for (const key of GROUP_KEYS) {
      const sum = sums.get(key) as Cell["counts"];
      const n = sum.requests;
      arms[arm][key] = {
        ...sum,
        errorRate: n > 0 ? sum.errors / n : null,
        p50: n > 0 ? latencyQuantile(rng, 0.5, n, mu, tail) : null,
        p95: n > 0 ? latencyQuantile(rng, 0.95, n, mu, tail) : null,
        p99: n > 0 ? latencyQuantile(rng, 0.99, n, mu, tail) : null,
        shownRate: sum.eligible > 0 ? sum.shown / sum.eligible : null,
        receivedRate: sum.selectedWithDriver > 0 ? sum.received / sum.selectedWithDriver : null,
      };
    }
  }
  return { minute, minuteOfDay, percent, arms };
}

/** A fixed schedule, as the interactive mode or a test replays it: each step's percent held for its minutes. */
export function simulateSchedule(
  scenario: Scenario,
  seed: number,
  schedule: readonly { percent: number; minutes: number }[],
): MinuteRecord[] {
  const out: MinuteRecord[] = [];
  let minute = 0;
  for (const step of schedule)
    for (let i = 0; i < step.minutes; i++, minute++) out.push(simulateMinute(scenario, seed, minute, step.percent));
  return out;
}
