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
}
export type Expectation = Literal | Matcher;
export type Conditions = Record<string, Expectation>;

const idSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "expected a kebab-case id such as \"dark-first-deploy\"");
const pathSchema = z.string().refine(isValidPath, "expected a field path such as \"steps[*].action\" or \".\"");
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
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), "a matcher needs at least one test, e.g. { oneOf: [a, b] }");

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
  /** A nudge shown with a failure, without giving the answer away. */
  hint: z.string().min(1).optional(),
  /** Lecture section that teaches the rule. */
  link: z.string().regex(/^\/modules\/[a-z0-9-]+#[a-z0-9-]+$/, "expected a link like /modules/<module-id>#<heading-slug>"),
};

export const ruleSchema = z.discriminatedUnion("type", [
  /** Conditions on the answer as a whole. */
  z.strictObject({ ...ruleBase, type: z.literal("match"), where: conditionsSchema }),
  /** Every item of the list (optionally only those matching `where`) satisfies `is`; an empty list fails. */
  z.strictObject({ ...ruleBase, type: z.literal("every"), path: pathSchema, where: conditionsSchema.optional(), is: conditionsSchema }),
  /** At least `atLeast` items (default 1) satisfy `is`: "some item" and "count at least" in one. */
  z.strictObject({ ...ruleBase, type: z.literal("some"), path: pathSchema, is: conditionsSchema, atLeast: z.number().int().positive().optional() }),
  /** No item satisfies `is`. */
  z.strictObject({ ...ruleBase, type: z.literal("none"), path: pathSchema, is: conditionsSchema }),
  /** The values at `path` (a multichoice, or `list[*].field`) contain `values` (all, or at least `atLeast`). */
  z.strictObject({ ...ruleBase, type: z.literal("includes"), path: pathSchema, values: literalList, atLeast: z.number().int().positive().optional() }),
  /** The first item matching each entry of `sequence` exists and comes after the previous entry's first match. */
  z.strictObject({ ...ruleBase, type: z.literal("ordered"), path: pathSchema, sequence: z.array(conditionsSchema).min(2) }),
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
export type RuleType = Rule["type"];

export const rubricSchema = z.array(ruleSchema).min(1, "a rubric needs at least one rule");
