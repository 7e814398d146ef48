/**
 * The randomness and the statistics under the simulator: seeded streams repeat exactly, the samplers
 * have the right mean and variance, and the Mann–Whitney U test gives the textbook values.
 */
import { describe, expect, it } from "vitest";
import { binomial, poisson, sfc32, streamFor } from "../../../grader/rollout-sim/prng";
import { mannWhitneyU, normalCdf, normalQuantile } from "../../../grader/rollout-sim/stats";

describe("seeded random streams", () => {
  it("repeat exactly for a seed and differ between seeds", () => {
    const draw = (seed: number) => {
      const rng = sfc32(seed);
      return Array.from({ length: 50 }, () => rng.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    for (const v of draw(9)) expect(v >= 0 && v < 1).toBe(true);
    // Per-minute streams: the same parts give the same stream, a different minute another.
    expect(streamFor(1, 2, 3).next()).toBe(streamFor(1, 2, 3).next());
    expect(streamFor(1, 2, 3).next()).not.toBe(streamFor(1, 3, 3).next());
  });

  it("draw binomial and Poisson counts with the right mean and variance, small and large", () => {
    const rng = sfc32(3);
    const moments = (sample: () => number, n = 20_000) => {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const x = sample();
        sum += x;
        squares += x * x;
      }
      const mean = sum / n;
      return { mean, variance: squares / n - mean * mean };
    };
    for (const [n, p] of [
      [20, 0.0066],
      [300, 0.02],
      [5000, 0.0066],
      [400, 0.9],
    ] as const) {
      const m = moments(() => binomial(rng, n, p));
      expect(m.mean).toBeCloseTo(n * p, n * p < 1 ? 1 : 0);
      expect(Math.abs(m.variance / (n * p * (1 - p)) - 1)).toBeLessThan(0.1);
    }
    for (const lambda of [0.7, 12, 400]) {
      const m = moments(() => poisson(rng, lambda));
      expect(Math.abs(m.mean / lambda - 1)).toBeLessThan(0.05);
      expect(Math.abs(m.variance / lambda - 1)).toBeLessThan(0.1);
    }
  });
});

describe("the normal distribution", () => {
  it("matches tabled values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263, 3);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6449, 3);
  });
});

describe("Mann–Whitney U", () => {
  it("gives the textbook U for fully separated samples, with the continuity-corrected z", () => {
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(r.u).toBe(0);
    expect(r.uOther).toBe(9);
    // mean 4.5, variance 3·3·7/12 = 5.25, |0 − 4.5| − 0.5 = 4: z = −4/√5.25.
    expect(r.z).toBeCloseTo(-4 / Math.sqrt(5.25), 9);
    expect(r.pGreater).toBeCloseTo(normalCdf(4 / Math.sqrt(5.25)), 6);
  });

  it("reproduces the tortoise-and-hare race (finishing order T H H H H H T T T T T H): U = 25 and 11", () => {
    const tortoise = [1, 7, 8, 9, 10, 11];
    const hare = [2, 3, 4, 5, 6, 12];
    const r = mannWhitneyU(tortoise, hare);
    expect(r.u).toBe(25);
    expect(r.uOther).toBe(11);
    expect(r.u + r.uOther).toBe(36);
  });

  it("uses mid-ranks and the tie-corrected variance", () => {
    // Pooled 1 2 2 2 3 4: the three 2s share rank 3, so x's rank sum is 1 + 3 + 3 = 7 and U = 7 − 6 = 1.
    // Variance 9/12 · (7 − (27 − 3)/(6·5)) = 0.75 · 6.2 = 4.65; |1 − 4.5| − 0.5 = 3.
    const r = mannWhitneyU([1, 2, 2], [2, 3, 4]);
    expect(r.u).toBe(1);
    expect(r.uOther).toBe(8);
    expect(r.z).toBeCloseTo(-3 / Math.sqrt(4.65), 9);
  });

  it("says nothing when every value ties, and refuses an empty sample", () => {
    const r = mannWhitneyU([0, 0, 0], [0, 0]);
    expect(r.u).toBe(3);
    expect(r.z).toBe(0);
    expect(r.pGreater).toBe(0.5);
    expect(() => mannWhitneyU([], [1])).toThrow(/at least one value/);
  });

  it("finds a clear shift significant and a null shift not", () => {
    const low = Array.from({ length: 20 }, (_, i) => i);
    const high = low.map((v) => v + 15);
    expect(mannWhitneyU(high, low).pGreater).toBeLessThan(0.001);
    expect(mannWhitneyU(low, high).pGreater).toBeGreaterThan(0.999);
    expect(mannWhitneyU(low, [...low]).pGreater).toBeCloseTo(0.5, 1);
  });
});
