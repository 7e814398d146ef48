/**
 * Bridges HTML forms and answers. A form posted with express `urlencoded({ extended: true })` arrives
 * as strings everywhere, nested by field names such as `answer[steps][0][action]`; long lists may come
 * as objects with numeric keys, and unchecked checkboxes are simply missing. `coerceFormAnswer`
 * rebuilds the typed answer so the server validates it with the same schema as the CLI.
 */
import type { AnswerField, AnswerShape } from "./shape";

/** The form parameter under which answers are posted: inputs are named `answer[...]`. */
export const FORM_ROOT = "answer";

/** The input name for a field path, e.g. ["steps", 0, "action"] gives "answer[steps][0][action]". */
export function formFieldName(path: readonly (string | number)[]): string {
  return FORM_ROOT + path.map((p) => `[${p}]`).join("");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Turns the posted `req.body.answer` into an answer object. Anything that cannot be coerced is left as
 * it came, so the answer schema reports it with its field path instead of it vanishing silently.
 */
export function coerceFormAnswer(shape: AnswerShape, body: unknown): Record<string, unknown> {
  return coerceGroup(shape.fields, body);
}

function coerceGroup(fields: readonly AnswerField[], raw: unknown): Record<string, unknown> {
  const source = isRecord(raw) ? raw : {};
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = coerceField(field, source[field.key]);
    if (value !== undefined) out[field.key] = value;
  }
  return out;
}

/** Arrays from qs may be real arrays or objects keyed "0", "1", "10"; order by the number. */
function listEntries(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (!isRecord(raw)) return raw === undefined || raw === "" ? [] : [raw];
  return Object.keys(raw)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => raw[k]);
}

function coerceScalarText(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  const text = raw.replace(/\r\n?/g, "\n");
  return text.trim() === "" ? undefined : text;
}

function coerceField(field: AnswerField, raw: unknown): unknown {
  switch (field.type) {
    case "text":
    case "longtext":
    case "choice":
      return coerceScalarText(raw);
    case "number": {
      if (typeof raw !== "string") return raw;
      const text = raw.trim();
      if (text === "") return undefined;
      const n = Number(text);
      // Left as text when not a number, so the schema says "expected a number" at this path.
      return Number.isFinite(n) ? n : text;
    }
    case "multichoice":
      return listEntries(raw).filter((v): v is string => typeof v === "string" && v !== "");
    case "group":
      return coerceGroup(field.fields, raw);
    case "list":
      return listEntries(raw)
        .map((item) => coerceGroup(field.fields, item))
        .filter((item) => !isBlank(item));
  }
}

/** A row the student left completely empty (a spare row of the form) is not an item. */
function isBlank(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.every(isBlank);
  if (isRecord(value)) return Object.values(value).every(isBlank);
  return false;
}

export type EmptyValue = string | null | string[] | EmptyAnswer | EmptyAnswer[];
export interface EmptyAnswer {
  [key: string]: EmptyValue;
}

/** The value of a fresh form: empty texts, no choice, unchecked boxes, and the minimum rows of each list (at least one). */
export function emptyAnswer(shape: AnswerShape): EmptyAnswer {
  return emptyGroup(shape.fields);
}

function emptyGroup(fields: readonly AnswerField[]): EmptyAnswer {
  const out: EmptyAnswer = {};
  for (const field of fields) out[field.key] = emptyField(field);
  return out;
}

function emptyField(field: AnswerField): EmptyValue {
  switch (field.type) {
    case "text":
    case "longtext":
    case "choice":
      return "";
    case "number":
      return null;
    case "multichoice":
      return [];
    case "group":
      return emptyGroup(field.fields);
    case "list": {
      const rows = Math.min(Math.max(field.minItems ?? 0, 1), field.maxItems);
      return Array.from({ length: rows }, () => emptyGroup(field.fields));
    }
  }
}
