/**
 * Words for feedback, taken from the answer shape: what a student chose (option labels, not raw
 * values) and which step an ordered rule is about. A failing rule says what is wrong in the student's
 * own answer; it never states the expected choice (that is the rule's `reveal`, shown only once
 * answers are revealed).
 */
import type { AnswerField } from "../exercises/shape";
import { flattenOnce, parsePath, selectValues } from "./paths";
import type { Conditions, Expectation, Literal } from "./rules";

export interface Describer {
  /** A short name for the item meeting `conditions`, e.g. “Stop serving pickupTime (v1)”. */
  step(conditions: Conditions): string;
  /** The student's own item, named by its values at the paths of `conditions`. */
  item(item: unknown, conditions: Conditions): string;
  /** What the student gave at `path` of `subject`, e.g. `“Rollback”: “Turn the flag off”`. */
  answered(subject: unknown, path: string): string;
}

/** The field a path names, relative to a set of fields; list indexes are skipped. */
export function fieldAt(fields: readonly AnswerField[], path: string): AnswerField | undefined {
  return fieldTrail(fields, path).at(-1);
}

/** Every field along a path (groups, lists, then the field itself). */
function fieldTrail(fields: readonly AnswerField[], path: string): AnswerField[] {
  if (path === ".") return [];
  let current: readonly AnswerField[] = fields;
  const trail: AnswerField[] = [];
  for (const token of parsePath(path)) {
    if (token === "*" || typeof token === "number") continue;
    const found = current.find((f) => f.key === token);
    if (!found) return [];
    trail.push(found);
    current = found.type === "group" || found.type === "list" ? found.fields : [];
  }
  return trail;
}

/** "Get user › Dependency": a field's label with the groups it sits in, so nested fields are told apart. */
function labelPath(fields: readonly AnswerField[] | undefined, path: string): string | undefined {
  const trail = fields ? fieldTrail(fields, path) : [];
  return trail.length ? trail.map((f) => f.label).join(" › ") : undefined;
}

const quote = (s: string) => `“${s}”`;

function labelOf(field: AnswerField | undefined, value: unknown): string {
  if (field && (field.type === "choice" || field.type === "multichoice")) {
    const option = field.options.find((o) => o.value === value);
    if (option) return quote(option.label);
  }
  if (typeof value === "string") return quote(value.length > 60 ? `${value.slice(0, 57)}…` : value);
  return String(value);
}

function expectedValues(expectation: Expectation): Literal[] | undefined {
  if (typeof expectation !== "object") return [expectation];
  if (expectation.equals !== undefined) return [expectation.equals];
  return expectation.oneOf;
}

/** Describes answers of the items of a list (or of the answer itself) through their shape. */
export function describerFor(fields: readonly AnswerField[] | undefined): Describer {
  const at = (path: string) => (fields ? fieldAt(fields, path) : undefined);
  return {
    step(conditions) {
      const parts = Object.entries(conditions).flatMap(([path, expectation]) => {
        const values = expectedValues(expectation);
        return values ? [values.map((v) => labelOf(at(path), v)).join(" or ")] : [];
      });
      return parts.join(", ") || "a step this rule needs";
    },
    item(item, conditions) {
      const parts = Object.keys(conditions).map((path) => {
        const values = flattenOnce(selectValues(item, path));
        return values.map((v) => labelOf(at(path), v)).join(", ");
      });
      return parts.filter(Boolean).join(", ") || "this item";
    },
    answered(subject, path) {
      const field = at(path);
      const values = flattenOnce(selectValues(subject, path)).filter(
        (v) => v !== null && v !== undefined && !(typeof v === "string" && v.trim() === ""),
      );
      const shown = values.length ? values.map((v) => labelOf(field, v)).join(", ") : "nothing";
      return `${quote(labelPath(fields, path) ?? path)}: ${shown}`;
    },
  };
}

/** The fields of each item of the list at `path` (for rules about list items). */
export function itemFieldsAt(fields: readonly AnswerField[] | undefined, path: string): AnswerField[] | undefined {
  const list = fields ? fieldAt(fields, path) : undefined;
  return list && (list.type === "list" || list.type === "group") ? list.fields : undefined;
}

/**
 * How the form names the items of the list at `path` ("Step" in "Step 3"), so feedback says "Step 3"
 * where the student sees "Step 3"; "Item" when the list names none.
 */
export function itemLabelAt(fields: readonly AnswerField[] | undefined, path: string): string {
  const list = fields ? fieldAt(fields, path) : undefined;
  return (list?.type === "list" ? list.itemLabel : undefined) ?? "Item";
}
