/**
 * The state of an exercise form as the student sees it: strings everywhere, lists as arrays, blank
 * rows kept. Drafts store this, the no-JavaScript "add / remove / move" buttons edit it, and the
 * views render it. Validation happens later, on the answer coerced from it.
 */
import type { AnswerField, AnswerShape, ListField } from "../../../grader/exercises";

export type FormValue = string | string[] | FormGroup | FormGroup[];
export interface FormGroup {
  [key: string]: FormValue;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Arrays may arrive as arrays or as objects with numeric keys (qs does that past 20 items). */
function entries(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (!isRecord(raw)) return [];
  return Object.keys(raw)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => raw[k]);
}

function scalar(raw: unknown): string {
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  return "";
}

export function toFormState(shape: AnswerShape, raw: unknown): FormGroup {
  return groupState(shape.fields, raw);
}

function groupState(fields: readonly AnswerField[], raw: unknown): FormGroup {
  const source = isRecord(raw) ? raw : {};
  const out: FormGroup = {};
  for (const field of fields) out[field.key] = fieldState(field, source[field.key]);
  return out;
}

function fieldState(field: AnswerField, raw: unknown): FormValue {
  switch (field.type) {
    case "text":
    case "longtext":
    case "choice":
    case "number":
      return scalar(raw);
    case "multichoice":
      return (typeof raw === "string" ? [raw] : entries(raw)).filter((v): v is string => typeof v === "string");
    case "group":
      return groupState(field.fields, raw);
    case "list":
      return entries(raw)
        .slice(0, field.maxItems)
        .map((item) => groupState(field.fields, item));
  }
}

/** A parsed "_action" button value: `add:steps`, `remove:steps:2`, `up:steps:2`, `down:steps:2`. */
export interface FormAction {
  verb: "add" | "remove" | "up" | "down";
  /** Path to the list: keys and indexes, e.g. ["steps"] or ["groups", 1, "items"]. */
  listPath: (string | number)[];
  index: number;
}

export function parseFormAction(value: unknown): FormAction | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(add|remove|up|down):([A-Za-z0-9_/]+)(?::(\d+))?$/.exec(value);
  if (!match) return undefined;
  const listPath = (match[2] ?? "").split("/").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return { verb: match[1] as FormAction["verb"], listPath, index: Number(match[3] ?? 0) };
}

function findList(
  shape: AnswerShape,
  state: FormGroup,
  path: readonly (string | number)[],
): { field: ListField; rows: FormGroup[] } | undefined {
  let fields: readonly AnswerField[] = shape.fields;
  let value: FormValue | undefined = state;
  let field: AnswerField | undefined;
  for (const segment of path) {
    if (typeof segment === "number") {
      if (!Array.isArray(value) || field?.type !== "list") return undefined;
      value = value[segment];
      fields = field.fields;
      continue;
    }
    if (!isRecord(value)) return undefined;
    field = fields.find((f) => f.key === segment);
    if (!field) return undefined;
    value = value[segment];
    if (field.type === "group") fields = field.fields;
  }
  if (field?.type !== "list" || !Array.isArray(value)) return undefined;
  return { field, rows: value as FormGroup[] };
}

/** Applies a list action in place; out-of-range or unknown actions change nothing. */
export function applyFormAction(shape: AnswerShape, state: FormGroup, action: FormAction): void {
  const list = findList(shape, state, action.listPath);
  if (!list) return;
  const { field, rows } = list;
  const i = action.index;
  if (action.verb === "add" && rows.length < field.maxItems) rows.push(groupState(field.fields, {}));
  if (action.verb === "remove" && i < rows.length) rows.splice(i, 1);
  if (action.verb === "up" && i > 0 && i < rows.length)
    [rows[i - 1], rows[i]] = [rows[i] as FormGroup, rows[i - 1] as FormGroup];
  if (action.verb === "down" && i + 1 < rows.length)
    [rows[i + 1], rows[i]] = [rows[i] as FormGroup, rows[i + 1] as FormGroup];
}
