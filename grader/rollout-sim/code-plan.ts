/**
 * What a TypeScript rollout policy hands the grader, checked on the trusted side: its `plan` (the ramp,
 * the bake, how often `decide` is asked, and what it watches) and each decision `decide` returns. Both
 * come out of the sandbox, so both are parsed with zod and every problem names its field.
 */
import { z } from "zod";
import { validate, type FieldIssue } from "../validation";
import { COHORT_VALUES, DIMENSIONS, type Dimension } from "./model";
import { METRICS, refineRamp, type MetricName } from "./policy-schema";
import { ALL, GROUP_KEYS, groupKey, type GroupKey } from "./simulate";

/**
 * At most this many minutes pass between two looks (warm-up or check interval), so the minutes sent
 * into the sandbox at each look stay small (about 4 KB a minute with every metric and cohort watched).
 */
export const MAX_MINUTES_BETWEEN_LOOKS = 30;

const watchSchema = z.strictObject({
  metric: z.enum(METRICS),
  /** none: the whole service ("all"); city or appVersion: every cohort of it, each on its own. */
  breakdown: z.enum(["none", ...(DIMENSIONS as [Dimension, ...Dimension[]])]).default("none"),
});
export type CodeWatch = z.output<typeof watchSchema>;

export const codePlanSchema = z
  .strictObject({
    steps: z.array(z.number().gt(0).max(100)).min(1).max(20),
    bakeMinutes: z.union([z.number().int().min(1).max(720), z.array(z.number().int().min(1).max(720))]),
    warmupMinutes: z.number().int().min(0).max(MAX_MINUTES_BETWEEN_LOOKS).default(5),
    checkEveryMinutes: z.number().int().min(1).max(MAX_MINUTES_BETWEEN_LOOKS).default(5),
    /** The metrics `decide` sees; nothing else is in its view. */
    watch: z.array(watchSchema).min(1).max(12),
  })
  .superRefine((p, ctx) => refineRamp(p, ctx));
export type CodePlan = z.output<typeof codePlanSchema>;

export function parseCodePlan(value: unknown): { ok: true; plan: CodePlan } | { ok: false; issues: FieldIssue[] } {
  if (value === null || value === undefined)
    return { ok: false, issues: [{ path: "plan", message: "the module does not export a plan" }] };
  const parsed = validate(codePlanSchema, value);
  return parsed.ok
    ? { ok: true, plan: parsed.data }
    : {
        ok: false,
        issues: parsed.issues.map((i) => ({
          path: i.path === "(root)" ? "plan" : `plan.${i.path}`,
          message: i.message,
        })),
      };
}

/** The groups a watch looks at: the whole service, or each cohort of its breakdown. */
export function groupsOf(watch: CodeWatch): GroupKey[] {
  return watch.breakdown === "none"
    ? [ALL]
    : COHORT_VALUES[watch.breakdown].map((v) => groupKey(watch.breakdown as Dimension, v));
}

/** For every group in view, the metrics watched in it. */
export function watchedGroups(plan: CodePlan): Map<GroupKey, Set<MetricName>> {
  const groups = new Map<GroupKey, Set<MetricName>>();
  for (const watch of plan.watch)
    for (const key of groupsOf(watch)) groups.set(key, (groups.get(key) ?? new Set()).add(watch.metric));
  return groups;
}

const rollbackSchema = z.strictObject({
  action: z.literal("rollback"),
  metric: z.enum(METRICS),
  group: z.enum(GROUP_KEYS as [GroupKey, ...GroupKey[]]),
  evidence: z.string().max(500).default(""),
});
export const decisionSchema = z.union([z.literal("advance"), z.literal("hold"), rollbackSchema]);
export type Decision = z.output<typeof decisionSchema>;

const shown = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/**
 * A decision `decide` returned, or what is wrong with it in the student's terms. A rollback must cite
 * a metric and a group the plan watches: the view holds nothing else, so anything else is not evidence.
 */
export function parseDecision(
  value: unknown,
  plan: CodePlan,
): { ok: true; decision: Decision } | { ok: false; message: string } {
  const parsed = decisionSchema.safeParse(value);
  if (!parsed.success) {
    const isRollback =
      typeof value === "object" && value !== null && (value as { action?: unknown }).action === "rollback";
    if (!isRollback)
      return {
        ok: false,
        message: `decide returned ${shown(value)}; it must return "advance", "hold" or { action: "rollback", metric, group, evidence }`,
      };
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      message: `decide returned a rollback ${shown(value)}: ${issue ? `${issue.path.join(".") || "(rollback)"}: ${issue.message}` : "not valid"}`,
    };
  }
  const decision = parsed.data;
  if (typeof decision === "object" && !watchedGroups(plan).get(decision.group)?.has(decision.metric))
    return {
      ok: false,
      message: `decide rolled back citing ${decision.metric} in "${decision.group}", which the plan does not watch; cite a metric and group from plan.watch`,
    };
  return { ok: true, decision };
}
