/**
 * The scenarios a rollout policy is graded on, as data. Each is a healthy world plus a few effects:
 * what changes (a rate, the latency, a tail), in which arm, from which minute of the rollout, how fast
 * it grows, and for which cohort. `regression` says whether rolling back is the right call; `severity`
 * weighs its harm (see README.md).
 */
import { z } from "zod";
import { COHORT_VALUES, DIMENSIONS, type Dimension } from "./model";

export const EFFECT_TARGETS = ["errorRate", "latency", "latencyTail", "notShown", "notServed"] as const;

const effectSchema = z
  .strictObject({
    /** errorRate, notShown and notServed multiply a failure rate; latency multiplies every request's latency; latencyTail slows a fraction of requests. */
    target: z.enum(EFFECT_TARGETS),
    arms: z.enum(["treatment", "both"]),
    /** The multiplier at full strength (errors ×3, latency ×1.5, tail requests ×5). */
    factor: z.number().positive(),
    /** latencyTail only: the share of requests slowed. */
    tailFraction: z.number().min(0).max(0.5).optional(),
    /** Minute of the rollout (0 = the first step starts) when the effect begins. */
    from: z.number().int().min(0),
    /** Minute it ends (exclusive); absent = never. */
    until: z.number().int().min(1).optional(),
    /** Minutes to grow linearly from nothing to full strength (0 = a step change). */
    growMinutes: z.number().int().min(0).default(0),
    cohort: z
      .strictObject({ dimension: z.enum(DIMENSIONS as [Dimension, ...Dimension[]]), value: z.string() })
      .optional(),
  })
  .superRefine((e, ctx) => {
    if (e.target === "latencyTail" && e.tailFraction === undefined)
      ctx.addIssue({ code: "custom", path: ["tailFraction"], message: "a latencyTail effect needs tailFraction" });
    // Latency percentiles are computed per group from one log-normal mixture, which a cohort-only slowdown would break.
    if ((e.target === "latency" || e.target === "latencyTail") && e.cohort)
      ctx.addIssue({ code: "custom", path: ["cohort"], message: "latency effects apply to every cohort" });
    if (e.cohort && !COHORT_VALUES[e.cohort.dimension].includes(e.cohort.value))
      ctx.addIssue({
        code: "custom",
        path: ["cohort", "value"],
        message: `unknown ${e.cohort.dimension} "${e.cohort.value}"`,
      });
    if (e.until !== undefined && e.until <= e.from)
      ctx.addIssue({ code: "custom", path: ["until"], message: "must be after from" });
  });
export type Effect = z.output<typeof effectSchema>;

export const scenarioSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  /** What happens, for feedback and the README. */
  description: z.string().min(1),
  /** True when the treatment really is worse, so a rollback is right; false when rolling back is wrong. */
  regression: z.boolean(),
  /** Harm per minute of 100% exposure at full strength (0 for scenarios where the treatment is fine). */
  severity: z.number().min(0),
  /** The metric that shows the regression, and the breakdown needed to see it clearly. */
  visibleIn: z.enum(["errorRate", "latencyP99", "none"]),
  breakdown: z
    .strictObject({ dimension: z.enum(DIMENSIONS as [Dimension, ...Dimension[]]), value: z.string() })
    .optional(),
  effects: z.array(effectSchema),
});
export type Scenario = z.output<typeof scenarioSchema>;

const SCENARIO_DATA: z.input<typeof scenarioSchema>[] = [
  {
    id: "error-regression",
    title: "A real error-rate regression",
    description: "The new code fails three times as many ride requests as the old one, from the first minute it runs.",
    regression: true,
    severity: 1,
    visibleIn: "errorRate",
    effects: [{ target: "errorRate", arms: "treatment", factor: 3, from: 0 }],
  },
  {
    id: "p99-regression",
    title: "A regression only in p99 latency",
    description:
      "One request in seventy in the new code waits on a slow lock and takes five times as long. The median and p95 barely move; p99 jumps.",
    regression: true,
    severity: 0.5,
    visibleIn: "latencyP99",
    effects: [{ target: "latencyTail", arms: "treatment", factor: 5, tailFraction: 0.015, from: 0 }],
  },
  {
    id: "slow-leak",
    title: "A slow leak after the bake time",
    description:
      "The new code leaks connections: nothing shows for the first 50 minutes, then errors climb over the next hour to four times normal.",
    regression: true,
    severity: 1,
    visibleIn: "errorRate",
    effects: [{ target: "errorRate", arms: "treatment", factor: 4, from: 50, growMinutes: 60 }],
  },
  {
    id: "cohort-regression",
    title: "A regression in one city only",
    description:
      "The new code mishandles Harbor's address format: six times the error rate there, nothing elsewhere. Harbor is 5% of traffic, so the overall error rate barely moves.",
    regression: true,
    severity: 1,
    visibleIn: "errorRate",
    breakdown: { dimension: "city", value: "harbor" },
    effects: [
      { target: "errorRate", arms: "treatment", factor: 6, from: 0, cohort: { dimension: "city", value: "harbor" } },
    ],
  },
  {
    id: "global-incident",
    title: "A global incident hitting both arms",
    description:
      "Twenty minutes in, the payment provider degrades for forty minutes: errors six times normal and latency up half, for old and new code alike. The flag is not the cause; rolling back changes nothing.",
    regression: false,
    severity: 0,
    visibleIn: "none",
    effects: [
      { target: "errorRate", arms: "both", factor: 6, from: 20, until: 60 },
      { target: "latency", arms: "both", factor: 1.5, from: 20, until: 60 },
    ],
  },
  {
    id: "noise",
    title: "Pure noise",
    description: "The new code is exactly as good as the old. Every difference between the arms is chance.",
    regression: false,
    severity: 0,
    visibleIn: "none",
    effects: [],
  },
];

export const SCENARIOS: readonly Scenario[] = SCENARIO_DATA.map((s) => scenarioSchema.parse(s));

export function scenarioById(id: string): Scenario {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new RangeError(`no scenario "${id}"`);
  return found;
}

/** How strong an effect is at a minute of the rollout: 0 before it starts, rising to 1 over growMinutes. */
export function strengthAt(effect: Effect, minute: number): number {
  if (minute < effect.from) return 0;
  if (effect.until !== undefined && minute >= effect.until) return 0;
  if (effect.growMinutes === 0) return 1;
  return Math.min(1, (minute - effect.from + 1) / effect.growMinutes);
}

/** The harm weight of a scenario at a minute of 100% exposure: severity × strength, scaled by the cohort's share. */
export function harmRateAt(
  scenario: Scenario,
  minute: number,
  share: (dimension: Dimension, value: string) => number,
): number {
  if (!scenario.regression) return 0;
  let worst = 0;
  for (const effect of scenario.effects) {
    if (effect.arms !== "treatment") continue;
    const reach = effect.cohort ? share(effect.cohort.dimension, effect.cohort.value) : 1;
    worst = Math.max(worst, strengthAt(effect, minute) * reach);
  }
  return scenario.severity * worst;
}
