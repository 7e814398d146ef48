/**
 * What a rollout policy is graded on, as data: the hidden seeds, each rule's limits, points, words and
 * lecture link. A later exercise manifest can carry the same shape; the defaults below are the
 * course's priority-rides ramp.
 */
import { z } from "zod";

export const ROLLOUT_RULE_IDS = [
  "catches-error-regression",
  "catches-p99-regression",
  "catches-slow-leak",
  "catches-cohort-regression",
  "no-rollback-on-noise",
  "no-rollback-on-global-incident",
  "reaches-full-rollout",
  "watches-p99",
  "watches-cohorts",
] as const;
export type RolloutRuleId = (typeof ROLLOUT_RULE_IDS)[number];

const ruleSchema = z.strictObject({
  id: z.enum(ROLLOUT_RULE_IDS),
  name: z.string().min(1),
  points: z.number().positive(),
  hint: z.string().min(1),
  link: z.string().regex(/^\/modules\/[a-z0-9-]+#[a-z0-9-]+$/, "expected /modules/<id>#<heading-slug>"),
  /** A word or phrase the linked lecture section uses, so the link lands where the rule's subject is taught (checked by `exercises check`). */
  keyTerm: z.string().min(1),
});
export type RolloutRule = z.output<typeof ruleSchema>;

export const rolloutGradingSchema = z
  .strictObject({
    /** The seed the hidden seeds derive from; shown to the student so a TA can replay the grading. */
    seed: z.number().int().min(0),
    seedsPerScenario: z.number().int().min(1).max(50),
    /** A regression must be rolled back at or below this treatment percentage. */
    maxCatchPercent: z.number().gt(0).max(100),
    /** Without a regression, the ramp must reach 100% within this many minutes. */
    maxMinutesToFull: z.number().int().min(1),
    rules: z.array(ruleSchema).min(1),
  })
  .superRefine((data, ctx) => {
    const ids = data.rules.map((r) => r.id);
    for (const id of ROLLOUT_RULE_IDS)
      if (!ids.includes(id)) ctx.addIssue({ code: "custom", path: ["rules"], message: `rule "${id}" is missing` });
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `"${id}" appears twice` });
    });
  });
export type RolloutGrading = z.output<typeof rolloutGradingSchema>;

export const DEFAULT_ROLLOUT_GRADING: RolloutGrading = rolloutGradingSchema.parse({
  seed: 2026,
  seedsPerScenario: 4,
  maxCatchPercent: 25,
  maxMinutesToFull: 360,
  rules: [
    {
      id: "catches-error-regression",
      name: "Rolls back a real error-rate regression early",
      points: 2,
      hint: "Watch the error rate of the treatment against control, with a rule that fires on a clear rise while the ramp is still small.",
      link: "/modules/observing-rollouts#correlate-errors-with-ramps",
      keyTerm: "ramp",
    },
    {
      id: "catches-p99-regression",
      name: "Rolls back a regression that only shows in p99 latency",
      points: 2,
      hint: "A slow path hit by one request in a hundred leaves the median and p95 almost unchanged; only a tail percentile sees it.",
      link: "/modules/rollout-plan#metrics-at-every-step",
      keyTerm: "latency",
    },
    {
      id: "catches-slow-leak",
      name: "Catches a regression that appears after the first bake",
      points: 2,
      hint: "Some regressions need time to build up. Bake each step long enough, and keep judging at every step, not only the first.",
      link: "/modules/dark-launches#incremental-ramp",
      keyTerm: "watch your metrics",
    },
    {
      id: "catches-cohort-regression",
      name: "Catches a regression confined to one city",
      points: 2,
      hint: "A regression in a city with 5% of the traffic barely moves the service-wide rate; judge the metric per city (breakdown: city).",
      link: "/modules/observing-rollouts#the-funnel",
      keyTerm: "city",
    },
    {
      id: "no-rollback-on-noise",
      name: "Does not roll back on noise",
      points: 2,
      hint: "Some errors are always there and both arms wobble. Compare against control with a margin or a significance test, and wait for enough requests.",
      link: "/modules/observing-rollouts#error-rates-week-over-week",
      keyTerm: "noise",
    },
    {
      id: "no-rollback-on-global-incident",
      name: "Does not roll back for an incident that hits both arms",
      points: 2,
      hint: "When old and new code fail alike, the flag is not the cause. Judge the treatment against control, not against how things looked an hour ago.",
      link: "/modules/observing-rollouts#correlate-errors-with-ramps",
      keyTerm: "changes when the flag changes",
    },
    {
      id: "reaches-full-rollout",
      name: "Reaches 100% in reasonable time",
      points: 1,
      hint: "A ramp that never finishes never ships. Keep the steps few and the bake times proportionate.",
      link: "/modules/dark-launches#incremental-ramp",
      keyTerm: "100%",
    },
    {
      id: "watches-p99",
      name: "Watches a metric that can see a tail-latency regression",
      points: 1,
      hint: "Add latencyP99 to the metrics watched.",
      link: "/modules/rollout-plan#metrics-at-every-step",
      keyTerm: "latency",
    },
    {
      id: "watches-cohorts",
      name: "Watches a per-cohort breakdown",
      points: 1,
      hint: "Give at least one watched metric a breakdown (city or appVersion).",
      link: "/modules/observing-rollouts#the-funnel",
      keyTerm: "city",
    },
  ],
});
