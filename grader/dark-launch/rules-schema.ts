/**
 * The dark-launch exercise's grading data (`exercises/<id>/rules.yaml`): the generation seed and sizes,
 * the share tolerance, and each rule's points, words and lecture link. Which inputs a rule judges is
 * code (./judge.ts); everything a student reads, and what it is worth, is data.
 */
import { z } from "zod";

export const RULE_IDS = [
  "no-op-response",
  "no-op-calls",
  "flag-on-keeps-legacy",
  "employees-first",
  "eligibility-respected",
  "ramp-buckets",
  "ramp-sticky",
  "ramp-share",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

const ruleSchema = z.strictObject({
  id: z.enum(RULE_IDS),
  name: z.string().min(1),
  points: z.number().positive(),
  passMessage: z.string().min(1),
  /** What the student should do when the rule fails; shown with the counterexample. */
  hint: z.string().min(1).optional(),
  link: z
    .string()
    .regex(/^\/modules\/[a-z0-9-]+#[a-z0-9-]+$/, "expected /modules/<id>#<heading-slug>")
    .optional(),
  /** A word or phrase the linked lecture section uses (checked by test/exercises/links.test.ts). */
  keyTerm: z.string().min(1).optional(),
});
export type DarkLaunchRule = z.infer<typeof ruleSchema>;

export const darkLaunchRulesSchema = z
  .strictObject({
    /** Seeds input generation, so a grade is reproducible. */
    seed: z.number().int(),
    /** How many random inputs (rider, trip, flag state) to try. */
    cases: z.number().int().min(10).max(2000),
    /** The ramp percentages the 100-rider population is asked at; the first is also asked twice. */
    rampPercents: z.array(z.number().int().min(1).max(99)).min(2),
    /** Allowed distance, in percentage points, between the share of riders offered priority and the ramp. */
    shareTolerance: z.number().min(0).max(50),
    /** Executions spent shrinking each failing rule's input. */
    shrinkBudget: z.number().int().min(0).max(1000).default(120),
    rules: z.array(ruleSchema).min(1),
  })
  .superRefine((data, ctx) => {
    const ids = data.rules.map((r) => r.id);
    for (const id of RULE_IDS)
      if (!ids.includes(id)) ctx.addIssue({ code: "custom", path: ["rules"], message: `rule "${id}" is missing` });
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `"${id}" appears twice` });
    });
  });
export type DarkLaunchRules = z.output<typeof darkLaunchRulesSchema>;
