/**
 * The oracle as data: fixtures, the expected outcome per failed dependency, and points per rule.
 * It lives in the exercise folder (`oracle.yaml`) so an instructor can write a variant without code.
 */
import { z } from "zod";
import { callNameSchema, checkoutRequestSchema, faultKindSchema } from "./contract";

export const fixtureSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, "use lowercase letters, digits and dashes"),
  request: checkoutRequestSchema,
  user: z.object({ id: z.string().min(1), email: z.string().min(1), firstPurchase: z.boolean() }),
  cart: z.object({ id: z.string().min(1), userId: z.string().min(1), totalCents: z.number().int().min(0) }),
  /** What the pricing service answers for this user and cart (0 when not eligible). */
  adjustmentCents: z.number().int().min(0),
});
export type Fixture = z.infer<typeof fixtureSchema>;

/** Conditions on the fixture under which a failure rule applies. */
const whenSchema = z.object({ eligible: z.boolean().optional(), adjustmentAboveZero: z.boolean().optional() }).strict();

export const failureRuleSchema = z
  .object({
    /** Id of the rule (in `rules`) that owns this expectation. */
    rule: z.string().min(1),
    /** The dependency whose failure this describes. */
    call: callNameSchema,
    when: whenSchema.optional(),
    /**
     * error / retry: the checkout must end with that status. continue: a fallback; the checkout goes
     * on, and the next failed dependency (or the happy path) decides the status.
     */
    outcome: z.enum(["error", "retry", "continue"]),
    /** For `continue`: the adjustment that counts as applied after this fallback (e.g. 0: full price). */
    adjustmentCents: z.number().int().min(0).optional(),
    /** Calls that must not be made at all once this dependency has failed. */
    forbidCalls: z.array(callNameSchema).default([]),
  })
  .strict();
export type FailureRule = z.infer<typeof failureRuleSchema>;

export const ruleInfoSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    points: z.number().min(0),
    /** Shown when the rule held in every execution. */
    passMessage: z.string().min(1),
    hint: z.string().optional(),
    link: z.string().optional(),
    /** A word or phrase the linked lecture section uses (checked by test/exercises/links.test.ts). */
    keyTerm: z.string().min(1).optional(),
  })
  .strict();

/** Rules the judge checks in every execution, whatever failed; they must appear in `rules`. */
export const BUILT_IN_RULES = ["happy-path", "charge-amount", "single-charge", "no-crash"] as const;

export const oracleSchema = z
  .object({
    faultKinds: z.array(faultKindSchema).min(1).default(["unavailable", "timeout", "internal", "overloaded"]),
    fixtures: z.array(fixtureSchema).min(1),
    /** In priority order: the first failed dependency that decides the status owns the expectation. */
    failures: z.array(failureRuleSchema).min(1),
    rules: z.array(ruleInfoSchema).min(1),
  })
  .strict()
  .superRefine((oracle, ctx) => {
    const ids = new Set(oracle.rules.map((r) => r.id));
    oracle.failures.forEach((f, i) => {
      if (!ids.has(f.rule)) {
        ctx.addIssue({
          code: "custom",
          path: ["failures", i, "rule"],
          message: `rule "${f.rule}" is not listed in rules`,
        });
      }
    });
    for (const builtIn of BUILT_IN_RULES) {
      if (!ids.has(builtIn))
        ctx.addIssue({ code: "custom", path: ["rules"], message: `the built-in rule "${builtIn}" must be listed` });
    }
    const fixtureIds = oracle.fixtures.map((f) => f.id);
    if (new Set(fixtureIds).size !== fixtureIds.length) {
      ctx.addIssue({ code: "custom", path: ["fixtures"], message: "fixture ids must be unique" });
    }
  });
export type Oracle = z.infer<typeof oracleSchema>;
