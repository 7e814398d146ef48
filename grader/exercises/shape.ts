/**
 * The answer-shape language: an exercise declares the fields of its answer as data, and everything
 * else (the form the server renders, the zod schema that validates a submission, the blank answer of
 * a new form, the paths rubric rules may use) is derived from it. A new exercise needs no code.
 *
 * The server walks `AnswerShape.fields` to render inputs: switch on `field.type`.
 */
import { z } from "zod";

const KEY = /^[a-zA-Z][a-zA-Z0-9_]*$/;

export interface FieldBase {
  /** Property name in the answer object; letters, digits and underscores. */
  key: string;
  label: string;
  /** Extra guidance shown under the input, in Markdown. */
  help?: string;
  /** Defaults to true; an optional field may be left empty. */
  required?: boolean;
}
export interface TextField extends FieldBase {
  type: "text";
  maxLength?: number;
  placeholder?: string;
}
export interface LongTextField extends FieldBase {
  type: "longtext";
  maxLength?: number;
  placeholder?: string;
}
export interface NumberField extends FieldBase {
  type: "number";
  min?: number;
  max?: number;
  integer?: boolean;
  /** Shown after the input, e.g. "%". */
  unit?: string;
}
export interface ChoiceOption {
  value: string;
  label: string;
}
export interface ChoiceField extends FieldBase {
  type: "choice";
  options: ChoiceOption[];
}
export interface MultiChoiceField extends FieldBase {
  type: "multichoice";
  options: ChoiceOption[];
  minSelected?: number;
  maxSelected?: number;
}
export interface GroupField extends FieldBase {
  type: "group";
  fields: AnswerField[];
}
export interface ListField extends FieldBase {
  type: "list";
  /** Fields of each item; every item is a group of these. */
  fields: AnswerField[];
  minItems?: number;
  maxItems: number;
  /** True when the order of items is part of the answer (plan steps): the form offers reordering. */
  orderable?: boolean;
  /** Names one item in the form, e.g. "Step" gives "Step 1", "Step 2". */
  itemLabel?: string;
}

export type AnswerField =
  TextField | LongTextField | NumberField | ChoiceField | MultiChoiceField | GroupField | ListField;

export interface AnswerShape {
  fields: AnswerField[];
}

/** Default caps so that oversized input is rejected even when an author sets no limit. */
export const DEFAULT_TEXT_MAX = 200;
export const DEFAULT_LONGTEXT_MAX = 4000;

const keySchema = z.string().regex(KEY, "expected a key of letters, digits and underscores, starting with a letter");
const base = {
  key: keySchema,
  label: z.string().min(1),
  help: z.string().optional(),
  required: z.boolean().optional(),
};
const optionSchema = z.strictObject({ value: z.string().min(1).max(100), label: z.string().min(1) });
const optionsSchema = z
  .array(optionSchema)
  .min(2)
  .refine((opts) => new Set(opts.map((o) => o.value)).size === opts.length, "option values must be unique");
const count = z.number().int().min(0);

export const answerFieldSchema: z.ZodType<AnswerField> = z.lazy(() =>
  z.discriminatedUnion("type", [
    z.strictObject({
      ...base,
      type: z.literal("text"),
      maxLength: z.number().int().positive().max(1000).optional(),
      placeholder: z.string().optional(),
    }),
    z.strictObject({
      ...base,
      type: z.literal("longtext"),
      maxLength: z.number().int().positive().max(20000).optional(),
      placeholder: z.string().optional(),
    }),
    z.strictObject({
      ...base,
      type: z.literal("number"),
      min: z.number().optional(),
      max: z.number().optional(),
      integer: z.boolean().optional(),
      unit: z.string().optional(),
    }),
    z.strictObject({ ...base, type: z.literal("choice"), options: optionsSchema }),
    z.strictObject({
      ...base,
      type: z.literal("multichoice"),
      options: optionsSchema,
      minSelected: count.optional(),
      maxSelected: count.optional(),
    }),
    z.strictObject({ ...base, type: z.literal("group"), fields: fieldListSchema }),
    z.strictObject({
      ...base,
      type: z.literal("list"),
      fields: fieldListSchema,
      minItems: count.optional(),
      maxItems: z.number().int().positive().max(100),
      orderable: z.boolean().optional(),
      itemLabel: z.string().optional(),
    }),
  ]),
);

const fieldListSchema: z.ZodType<AnswerField[]> = z.lazy(() =>
  z
    .array(answerFieldSchema)
    .min(1)
    .refine(
      (fields) => new Set(fields.map((f) => f.key)).size === fields.length,
      "field keys must be unique among siblings",
    ),
);

export const answerShapeSchema: z.ZodType<AnswerShape> = z.strictObject({ fields: fieldListSchema });

export function isRequired(field: AnswerField): boolean {
  return field.required !== false;
}
