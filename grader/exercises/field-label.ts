/**
 * Names a field of an answer the way the form shows it: the issue path "metrics[4].purpose" is
 * "Metric 5 › Purpose" to the student, and "f-metrics-4-purpose" is the id of its input.
 */
import type { AnswerField, AnswerShape } from "./shape";

/** The keys and indexes of a path written by formatPath ("metrics[4].purpose"). */
export function parseFieldPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? ""));
  return out;
}

/** "Metric 5 › Purpose"; the path itself when it leaves the shape (never throws). */
export function fieldLabel(shape: AnswerShape, path: string): string {
  const parts: string[] = [];
  let fields: AnswerField[] = shape.fields;
  let list: AnswerField | undefined;
  for (const segment of parseFieldPath(path)) {
    if (typeof segment === "number") {
      if (list?.type !== "list") return path;
      parts[parts.length - 1] = `${list.itemLabel ?? list.label} ${segment + 1}`;
      list = undefined;
      continue;
    }
    const field = fields.find((f) => f.key === segment);
    if (!field) return path;
    parts.push(field.label);
    list = field.type === "list" ? field : undefined;
    fields = field.type === "list" || field.type === "group" ? field.fields : [];
  }
  return parts.length > 0 ? parts.join(" › ") : path;
}

/** The id the form gives the field's input (see views/exercises/field.ejs). */
export function fieldId(path: string): string {
  return `f-${parseFieldPath(path).join("-")}`;
}
