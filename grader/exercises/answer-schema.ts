/**
 * Derives the zod schema that validates an answer from its declared shape. Every text has a maximum
 * length and every list a maximum size, so an oversized submission is rejected before grading.
 * Unknown keys are rejected too: in a YAML answer file they are almost always typos.
 */
import { z } from "zod";
import { DEFAULT_LONGTEXT_MAX, DEFAULT_TEXT_MAX, isRequired } from "./shape";
import type { AnswerField, AnswerShape, ChoiceOption } from "./shape";

export type AnswerValue = string | number | string[] | AnswerObject | AnswerObject[] | undefined;
export interface AnswerObject {
  [key: string]: AnswerValue;
}

const schemaCache = new WeakMap<AnswerShape, z.ZodType<AnswerObject>>();

/** The schema of a whole answer; cached per shape object because the server validates often. */
export function answerSchemaFor(shape: AnswerShape): z.ZodType<AnswerObject> {
  const cached = schemaCache.get(shape);
  if (cached) return cached;
  const schema = objectSchema(shape.fields);
  schemaCache.set(shape, schema);
  return schema;
}

function objectSchema(fields: readonly AnswerField[]): z.ZodType<AnswerObject> {
  const entries: Record<string, z.ZodType<AnswerValue>> = {};
  for (const field of fields) entries[field.key] = fieldSchema(field);
  return z.strictObject(entries);
}

function optionValues(options: readonly ChoiceOption[]): [string, ...string[]] {
  const [first, ...rest] = options.map((o) => o.value);
  if (first === undefined) throw new Error("a choice field needs options");
  return [first, ...rest];
}

function fieldSchema(field: AnswerField): z.ZodType<AnswerValue> {
  const required = isRequired(field);
  switch (field.type) {
    case "text":
    case "longtext": {
      const max = field.maxLength ?? (field.type === "text" ? DEFAULT_TEXT_MAX : DEFAULT_LONGTEXT_MAX);
      const text = z.string().trim().max(max);
      return required ? text.min(1) : text.optional();
    }
    case "number": {
      let num = field.integer ? z.number().int() : z.number();
      if (field.min !== undefined) num = num.min(field.min);
      if (field.max !== undefined) num = num.max(field.max);
      return required ? num : num.optional();
    }
    case "choice": {
      const choice = z.enum(optionValues(field.options));
      return required ? choice : choice.optional();
    }
    case "multichoice": {
      const minimum = field.minSelected ?? (required ? 1 : 0);
      const maximum = field.maxSelected ?? field.options.length;
      return z
        .array(z.enum(optionValues(field.options)))
        .min(minimum, minimum === 1 ? "choose at least one option" : `choose at least ${minimum} options`)
        .max(maximum, `choose at most ${maximum} options`)
        .refine((values) => new Set(values).size === values.length, "each option may be chosen once");
    }
    case "group": {
      const group = objectSchema(field.fields);
      return required ? group : group.optional();
    }
    case "list": {
      const minimum = field.minItems ?? 0;
      return z
        .array(objectSchema(field.fields))
        .min(minimum, `expected at least ${minimum} ${minimum === 1 ? "item" : "items"}`)
        .max(field.maxItems, `too many items: expected at most ${field.maxItems}`);
    }
  }
}
