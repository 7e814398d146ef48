/**
 * The simulated world: a seed replays the same series exactly, and each scenario's regression shows in
 * the metric it is meant to and not in the others. Statistical checks pool several seeds and use
 * generous bounds (the expected effects are far larger than the bounds; noise is far smaller).
 */
import { describe, expect, it } from "vitest";
import { SCENARIOS, scenarioById } from "../../../grader/rollout-sim/scenarios";
import {
  GROUP_KEYS,
  simulateMinute,
  simulateSchedule,
  type GroupMetrics,
  type MinuteRecord,
} from "../../../grader/rollout-sim/simulate";

const SEEDS = [11, 22, 33, 44, 55];

/** Minutes [from, to) of a scenario held at 25%, for every seed. */
function records(id: string, from: number, to: number): MinuteRecord[] {
  const scenario = scenarioById(id);
  return SEEDS.flatMap((seed) =>
    Array.from({ length: to - from }, (_, i) => simulateMinute(scenario, seed, from + i, 25)),
  );
}

const sum = (rs: MinuteRecord[], arm: "control" | "treatment", key: string, f: (g: GroupMetrics) => number) =>
  rs.reduce((s, r) => s + f(r.arms[arm][key] as GroupMetrics), 0);
const errorRate = (rs: MinuteRecord[], arm: "control" | "treatment", key = "all") =>
  sum(rs, arm, key, (g) => g.errors) / sum(rs, arm, key, (g) => g.requests);
const meanOf = (rs: MinuteRecord[], arm: "control" | "treatment", f: (g: GroupMetrics) => number | null) =>
  rs.reduce((s, r) => s + (f(r.arms[arm].all as GroupMetrics) ?? 0), 0) / rs.length;

/** Treatment over control, minus one, for every metric the policy can watch. */
function shifts(rs: MinuteRecord[]) {
  const rel = (t: number, c: number) => t / c - 1;
  return {
    errorRate: rel(errorRate(rs, "treatment"), errorRate(rs, "control")),
    p50: rel(
      meanOf(rs, "treatment", (g) => g.p50),
      meanOf(rs, "control", (g) => g.p50),
    ),
    p95: rel(
      meanOf(rs, "treatment", (g) => g.p95),
      meanOf(rs, "control", (g) => g.p95),
    ),
    p99: rel(
      meanOf(rs, "treatment", (g) => g.p99),
      meanOf(rs, "control", (g) => g.p99),
    ),
    shownRate: rel(
      sum(rs, "treatment", "all", (g) => g.shown) / sum(rs, "treatment", "all", (g) => g.eligible),
      sum(rs, "control", "all", (g) => g.shown) / sum(rs, "control", "all", (g) => g.eligible),
    ),
    receivedRate: rel(
      sum(rs, "treatment", "all", (g) => g.received) / sum(rs, "treatment", "all", (g) => g.selectedWithDriver),
      sum(rs, "control", "all", (g) => g.received) / sum(rs, "control", "all", (g) => g.selectedWithDriver),
    ),
  };
}

function expectQuiet(s: ReturnType<typeof shifts>, except: (keyof ReturnType<typeof shifts>)[] = []) {
  const bounds = { errorRate: 0.12, p50: 0.03, p95: 0.04, p99: 0.06, shownRate: 0.01, receivedRate: 0.02 };
  for (const [metric, bound] of Object.entries(bounds) as [keyof typeof bounds, number][]) {
    if (!except.includes(metric)) expect(Math.abs(s[metric]), `${metric} moved by ${s[metric]}`).toBeLessThan(bound);
  }
}

describe("determinism", () => {
  it("replays the same series for the same seed, a different one for another seed", () => {
    for (const scenario of SCENARIOS) {
      const schedule = [
        { percent: 1, minutes: 10 },
        { percent: 25, minutes: 10 },
      ];
      expect(simulateSchedule(scenario, 99, schedule)).toEqual(simulateSchedule(scenario, 99, schedule));
      expect(simulateSchedule(scenario, 99, schedule)).not.toEqual(simulateSchedule(scenario, 100, schedule));
    }
  });

  it("gives every arm the whole service, each city and each app version, and splits traffic by the ramp", () => {
    const r = simulateMinute(scenarioById("noise"), 5, 0, 10);
    for (const arm of ["control", "treatment"] as const)
      expect(Object.keys(r.arms[arm]).sort()).toEqual([...GROUP_KEYS].sort());
    const share = (rs: MinuteRecord[]) =>
      sum(rs, "treatment", "all", (g) => g.requests) /
      (sum(rs, "treatment", "all", (g) => g.requests) + sum(rs, "control", "all", (g) => g.requests));
    expect(share(records("noise", 0, 20).map((x) => x))).toBeCloseTo(0.25, 2);
    const tiny = SEEDS.flatMap((seed) =>
      Array.from({ length: 20 }, (_, m) => simulateMinute(scenarioById("noise"), seed, m, 1)),
    );
    expect(share(tiny)).toBeCloseTo(0.01, 3);
    // Cities add up to the whole.
    const all = r.arms.treatment.all as GroupMetrics;
    const cities = ["metro", "riverside", "harbor"].reduce(
      (s, c) => s + (r.arms.treatment[`city:${c}`] as GroupMetrics).requests,
      0,
    );
    expect(cities).toBe(all.requests);
  });

  it("follows the day: traffic at the evening peak is well above traffic in the small hours", () => {
    const scenario = scenarioById("noise");
    // Seed 5 starts at some minute of the day; sample a full day and compare the busiest and quietest hour.
    const perHour = new Map<number, number>();
    for (let m = 0; m < 1440; m += 20) {
      const r = simulateMinute(scenario, 5, m, 10);
      const hour = Math.floor(r.minuteOfDay / 60);
      perHour.set(hour, (perHour.get(hour) ?? 0) + (r.arms.control.all as GroupMetrics).requests);
    }
    const values = [...perHour.values()];
    expect(Math.max(...values) / Math.min(...values)).toBeGreaterThan(1.8);
  });
});

describe("each scenario shows in its metric and not in the others", () => {
  it("error-regression: the error rate roughly triples; latency and the funnel do not move", () => {
    const s = shifts(records("error-regression", 0, 40));
    expect(s.errorRate).toBeGreaterThan(1.4);
    expectQuiet(s, ["errorRate"]);
  });

  it("p99-regression: p99 jumps, p95 moves a little, the median and errors not at all", () => {
    const s = shifts(records("p99-regression", 0, 40));
    expect(s.p99).toBeGreaterThan(0.25);
    expect(s.p95).toBeLessThan(0.12);
    expectQuiet(s, ["p99", "p95"]);
  });

  it("slow-leak: nothing in the first 45 minutes, errors well up an hour later", () => {
    expectQuiet(shifts(records("slow-leak", 0, 45)));
    const late = shifts(records("slow-leak", 120, 160));
    expect(late.errorRate).toBeGreaterThan(1.5);
    expectQuiet(late, ["errorRate"]);
  });

  it("cohort-regression: Harbor's error rate is several times control's, other cities and the service barely move", () => {
    const rs = records("cohort-regression", 0, 60);
    const harbor = errorRate(rs, "treatment", "city:harbor") / errorRate(rs, "control", "city:harbor") - 1;
    expect(harbor).toBeGreaterThan(3);
    // App versions are not checked: every version has Harbor riders, so each carries a share of the rise.
    for (const key of ["city:metro", "city:riverside"]) {
      expect(Math.abs(errorRate(rs, "treatment", key) / errorRate(rs, "control", key) - 1)).toBeLessThan(0.15);
    }
    const s = shifts(rs);
    // Harbor is 5% of traffic: the service-wide rise is a fraction of Harbor's.
    expect(s.errorRate).toBeLessThan(0.5);
    expect(s.errorRate).toBeLessThan(harbor / 6);
    expectQuiet(s, ["errorRate"]);
  });

  it("global-incident: both arms' errors and latency rise together, the arms stay alike", () => {
    const before = records("global-incident", 0, 18);
    const during = records("global-incident", 25, 55);
    for (const arm of ["control", "treatment"] as const) {
      expect(errorRate(during, arm) / errorRate(before, arm)).toBeGreaterThan(3);
      expect(meanOf(during, arm, (g) => g.p50) / meanOf(before, arm, (g) => g.p50)).toBeGreaterThan(1.3);
    }
    expectQuiet(shifts(during));
  });

  it("noise: no metric differs between the arms", () => {
    expectQuiet(shifts(records("noise", 0, 60)));
  });
});
