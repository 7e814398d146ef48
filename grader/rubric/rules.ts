/**
 * Rubric rules as data. A handful of rule types, written once, cover every structured exercise; add a
 * new type only when an exercise cannot be said with these. Each type is documented with an example
 * in exercises/README.md.
 *
 * Conditions map a field path (relative to the item being tested, "." for the item itself) to an
 * expectation: a plain value means "equals", an object combines matchers that must all hold.
 */
import { z } from "zod";
import { isValidPath } from "./paths";

export type Literal = string | number | boolean;

export interface Matcher {
  equals?: Literal;
  oneOf?: Literal[];
  notOneOf?: Literal[];
  min?: number;
  max?: number;
  /** true: answered (a non-empty value); false: left empty. */
  present?: boolean;
  includes?: Literal;
  includesAll?: Literal[];
  includesAny?: Literal[];
  includesNone?: Literal[];
  /** This value comes later than the value at `path` (same item) in the ranking `ranks`. */
  after?: { path: string; ranks: Record<string, number> };
  /**
   * This value is one of those listed for the value at `path` (same item): a rollback that fits its
   * step's action, a denominator that fits its numerator. Judges fit, not presence.
   */
  fitsFor?: { path: string; table: Record<string, Literal[]> };
}
export type Expectation = Literal | Matcher;
export type Conditions = Record<string, Expectation>;

const idSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id such as "dark-first-deploy"');
const pathSchema = z.string().refine(isValidPath, 'expected a field path such as "steps[*].action" or "."');
const literalSchema = z.union([z.string(), z.number(), z.boolean()]);
const literalList = z.array(literalSchema).min(1);

export const matcherSchema = z
  .strictObject({
    equals: literalSchema.optional(),
    oneOf: literalList.optional(),
    notOneOf: literalList.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    present: z.boolean().optional(),
    includes: literalSchema.optional(),
    includesAll: literalList.optional(),
    includesAny: literalList.optional(),
    includesNone: literalList.optional(),
    after: z.strictObject({ path: pathSchema, ranks: z.record(z.string(), z.number()) }).optional(),
    fitsFor: z.strictObject({ path: pathSchema, table: z.record(z.string(), z.array(literalSchema)) }).optional(),
  })
  .refine(
    (m) => Object.values(m).some((v) => v !== undefined),
    "a matcher needs at least one test, e.g. { oneOf: [a, b] }",
  );

export const conditionsSchema = z
  .record(pathSchema, z.union([literalSchema, matcherSchema]))
  .refine((c) => Object.keys(c).length > 0, "expected at least one condition");

const ruleBase = {
  /** Stable id: results, overrides and analytics refer to it, so never rename a published one. */
  id: idSchema,
  name: z.string().min(1).max(120),
  points: z.number().positive(),
  /** Shown when the rule holds: confirms what the student got right. */
  pass: z.string().min(1),
  /** Shown when it does not: what was missed and why it matters. */
  fail: z.string().min(1),
  /** A nudge shown with a failure, without giving the answer away. `flagship exercises check` requires one. */
  hint: z.string().min(1).optional(),
  /**
   * The right answer in words, shown with a failure only once answers are revealed (no attempts left,
   * the deadline passed, or the exercise's `revealAnswers: always`). `fail` must not give it away.
   */
  reveal: z.string().min(1).optional(),
  /** Lecture section that teaches the rule. */
  link: z
    .string()
    .regex(/^\/modules\/[a-z0-9-]+#[a-z0-9-]+$/, "expected a link like /modules/<module-id>#<heading-slug>"),
  /** A word or phrase the linked section must use: a test checks the link lands on the rule's subject. */
  keyTerm: z.string().min(1).optional(),
};

const missingPolicy = z.enum(["fail", "judge-elsewhere"]);

/** Alternatives: the rule's conditions hold when any one of these does (a reasoned "depends", a swapped pair). */
const alternatives = z.array(conditionsSchema).min(1).optional();

export const ruleSchema = z.discriminatedUnion("type", [
  /** Conditions on the answer as a whole. */
  z
    .strictObject({ ...ruleBase, type: z.literal("match"), where: conditionsSchema.optional(), anyOf: alternatives })
    .refine((r) => r.where !== undefined || r.anyOf !== undefined, "a match rule needs `where`, `anyOf` or both"),
  /**
   * Every item of the list (optionally only those matching `where`) satisfies `is` (and one of `anyOf`);
   * an empty list fails, unless `missing: judge-elsewhere` says another rule requires such items.
   */
  z
    .strictObject({
      ...ruleBase,
      type: z.literal("every"),
      path: pathSchema,
      where: conditionsSchema.optional(),
      is: conditionsSchema.optional(),
      anyOf: alternatives,
      missing: z.enum(["fail", "judge-elsewhere"]).optional(),
    })
    .refine((r) => r.is !== undefined || r.anyOf !== undefined, "an every rule needs `is`, `anyOf` or both"),
  /** At least `atLeast` items (default 1) satisfy `is`: "some item" and "count at least" in one. */
  z
    .strictObject({
      ...ruleBase,
      type: z.literal("some"),
      path: pathSchema,
      /** Only items meeting these count, before and after `is`: "among the ramp steps, one reaches 100%". */
      where: conditionsSchema.optional(),
      is: conditionsSchema.optional(),
      anyOf: alternatives,
      atLeast: z.number().int().positive().optional(),
      /**
       * "judge-elsewhere": when no item meets `where`, the rule passes, because another rule requires
       * such items; a missing ramp then costs the ramp rule alone, not also "the ramp reaches 100%".
       */
      missing: z.enum(["fail", "judge-elsewhere"]).optional(),
      /**
       * An item counts only when no other item has the same values at these paths: the same rate
       * listed once per purpose is a hedge, and earns nothing.
       */
      distinctBy: z.array(pathSchema).min(1).optional(),
      /**
       * Items meeting `where` claim to serve what the rule looks for (a metric filed under "success"): each
       * must then meet one of `fits` (default: the rule's `is`/`anyOf`). A metric offered for a purpose it
       * does not serve counts against that purpose, so stuffing a purpose with every option fails instead
       * of passing on the one right option among them; `fits` may be wider than what earns the rule (a take
       * rate is fine under success, but is not the success metric).
       */
      claims: z.strictObject({ where: conditionsSchema, fits: z.array(conditionsSchema).min(1).optional() }).optional(),
    })
    .refine((r) => r.is !== undefined || r.anyOf !== undefined, "a some rule needs `is`, `anyOf` or both")
    .refine(
      (r) => r.missing === undefined || r.where !== undefined,
      "`missing` needs `where`: it says what to do when no item meets it",
    ),
  /** No item satisfies `is`. */
  z.strictObject({ ...ruleBase, type: z.literal("none"), path: pathSchema, is: conditionsSchema }),
  /** The values at `path` (a multichoice, or `list[*].field`) contain `values` (all, or at least `atLeast`). */
  z.strictObject({
    ...ruleBase,
    type: z.literal("includes"),
    path: pathSchema,
    values: literalList,
    atLeast: z.number().int().positive().optional(),
  }),
  /** The first item matching each entry of `sequence` exists and comes after the previous entry's first match. */
  z
    .strictObject({
      ...ruleBase,
      type: z.literal("ordered"),
      path: pathSchema,
      sequence: z.array(conditionsSchema).min(2),
      /**
       * "judge-elsewhere": a step of the sequence that is missing passes this rule, because another rule
       * requires that step; only the order of the steps present is judged, so a missing or merged step is
       * charged once. Default "fail". A list gives one answer per entry of `sequence`: this rule may be
       * the one that requires its first step (employees first) but not its second (the ramp).
       */
      missing: z.union([missingPolicy, z.array(missingPolicy).min(2)]).optional(),
    })
    .refine((r) => !Array.isArray(r.missing) || r.missing.length === r.sequence.length, {
      message: "a list under `missing` gives one entry per step of `sequence`",
      path: ["missing"],
    }),
  /**
   * The numbers at `value` of the items matching `where`, in list order, rise (strictly by default),
   * number at least `minCount`, and never climb more than `maxJump` in one step, counting from `start`.
   */
  z.strictObject({
    ...ruleBase,
    type: z.literal("monotone"),
    path: pathSchema,
    where: conditionsSchema.optional(),
    value: pathSchema,
    strict: z.boolean().optional(),
    minCount: z.number().int().min(1).optional(),
    maxJump: z.number().positive().optional(),
    start: z.number().optional(),
  }),
]);

export type Rule = z.infer<typeof ruleSchema>;

export const rubricSchema = z.array(ruleSchema).min(1, "a rubric needs at least one rule");
