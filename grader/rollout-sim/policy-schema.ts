/**
 * A rollout policy as data (policy mode): the ramp steps, how long each bakes, and the metrics watched
 * with one decision rule each. Submitted as YAML or JSON; every problem is reported with its field path.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { validate, type FieldIssue } from "../validation";
import { DIMENSIONS, type Dimension } from "./model";

export const METRICS = ["errorRate", "latencyP50", "latencyP95", "latencyP99", "shownRate", "receivedRate"] as const;
export type MetricName = (typeof METRICS)[number];
/** Metrics made of counts (a numerator and a denominator), the only ones a sequential test on counts can watch. */
export const COUNT_METRICS: readonly MetricName[] = ["errorRate", "shownRate", "receivedRate"];

const thresholdRule = z.strictObject({
  kind: z.literal("threshold"),
  /** absolute: treatment − control in the metric's unit (a rate, or ms); relative: that difference over control. */
  mode: z.enum(["absolute", "relative"]),
  /** Roll back when the difference, in the harmful direction, exceeds this. */
  max: z.number().min(0),
  /** Do not judge until the treatment arm has at least this many requests in the step (small samples are noise). */
  minRequests: z.number().int().min(0).default(0),
});
const mannWhitneyRule = z.strictObject({
  kind: z.literal("mann-whitney"),
  /** One-sided significance level: roll back when p < alpha. */
  alpha: z.number().gt(0).max(0.5),
  /** Also require the medians of the per-minute series to differ by at least this fraction of control's (Kayenta's effect size). */
  minEffect: z.number().min(0).default(0),
});
const sprtRule = z.strictObject({
  kind: z.literal("sprt"),
  /** Chance of rolling back a treatment that is as good as control. */
  alpha: z.number().gt(0).max(0.5),
  /** Chance of missing a treatment that is worse by minIncrease. */
  beta: z.number().gt(0).max(0.5),
  /** The relative rise of the failure rate to detect (0.5: failures up by half). */
  minIncrease: z.number().gt(0).max(100),
});
export const decisionRuleSchema = z.discriminatedUnion("kind", [thresholdRule, mannWhitneyRule, sprtRule]);
export type DecisionRule = z.output<typeof decisionRuleSchema>;

const watchSchema = z.strictObject({
  metric: z.enum(METRICS),
  /** none: the whole service; city or appVersion: judge every cohort on its own, and act if any is worse. */
  breakdown: z.enum(["none", ...(DIMENSIONS as [Dimension, ...Dimension[]])]).default("none"),
  rule: decisionRuleSchema,
});
export type Watch = z.output<typeof watchSchema>;

/** The ramp's own checks, shared with the TypeScript policy's plan: steps climb to 100, one bake per step before it. */
export function refineRamp(p: { steps: number[]; bakeMinutes: number | number[] }, ctx: z.RefinementCtx): void {
  p.steps.forEach((s, i) => {
    const prev = p.steps[i - 1];
    if (prev !== undefined && s <= prev)
      ctx.addIssue({ code: "custom", path: ["steps", i], message: `must be above the step before it (${prev})` });
  });
  if (p.steps[p.steps.length - 1] !== 100)
    ctx.addIssue({ code: "custom", path: ["steps", p.steps.length - 1], message: "the last step must be 100" });
  if (Array.isArray(p.bakeMinutes) && p.bakeMinutes.length !== p.steps.length - 1) {
    ctx.addIssue({
      code: "custom",
      path: ["bakeMinutes"],
      message: `give one bake time per step before 100% (${p.steps.length - 1}), not ${p.bakeMinutes.length}`,
    });
  }
}

export const policySchema = z
  .strictObject({
    /** Treatment percentages in order; the last must be 100. */
    steps: z.array(z.number().gt(0).max(100)).min(1).max(20),
    /** Minutes to hold each step before the next: one number for all, or one per step before 100%. */
    bakeMinutes: z.union([z.number().int().min(1).max(1440), z.array(z.number().int().min(1).max(1440))]),
    /** Minutes at the start of each step before any rule is judged (the first minutes of a step are few requests). */
    warmupMinutes: z.number().int().min(0).max(120).default(5),
    /** Judge the rules every this many minutes (every minute is the most twitchy). */
    checkEveryMinutes: z.number().int().min(1).max(120).default(1),
    metrics: z.array(watchSchema).max(24),
  })
  .superRefine((p, ctx) => {
    refineRamp(p, ctx);
    p.metrics.forEach((w, i) => {
      if (w.rule.kind === "sprt" && !COUNT_METRICS.includes(w.metric)) {
        ctx.addIssue({
          code: "custom",
          path: ["metrics", i, "rule", "kind"],
          message: `a sequential test counts failures, so it needs one of ${COUNT_METRICS.join(", ")}, not ${w.metric}`,
        });
      }
    });
  });
export type RolloutPolicy = z.output<typeof policySchema>;

/** Bake minutes of the step at `index` (steps before 100% only). */
export function bakeOf(policy: Pick<RolloutPolicy, "bakeMinutes">, index: number): number {
  return Array.isArray(policy.bakeMinutes) ? (policy.bakeMinutes[index] ?? 1) : policy.bakeMinutes;
}

export type PolicyParse = { ok: true; policy: RolloutPolicy } | { ok: false; issues: FieldIssue[] };

export function parsePolicy(value: unknown): PolicyParse {
  const result = validate(policySchema, value);
  return result.ok ? { ok: true, policy: result.data } : { ok: false, issues: result.issues };
}

/** Parses a submitted policy text, YAML (JSON is valid YAML, but JSON errors read better from JSON.parse). */
export function parsePolicyText(text: string, format: "yaml" | "json"): PolicyParse {
  let value: unknown;
  try {
    value = format === "json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "unreadable") : "unreadable";
    return { ok: false, issues: [{ path: "(root)", message: `not valid ${format.toUpperCase()}: ${message}` }] };
  }
  if (value === null || value === undefined)
    return { ok: false, issues: [{ path: "(root)", message: "the policy is empty" }] };
  return parsePolicy(value);
}
