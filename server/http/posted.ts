/**
 * What a handler may read of a posted body before its own zod schema has parsed it: the fields to show
 * again beside the errors, or a flag such as `confirm`. express types `req.body` as `any`; these check
 * it is an object of fields first, so a JSON array or string posted to a form reads as an empty form.
 */
import { z } from "zod";

const fieldsSchema = z.record(z.string(), z.unknown());

/** The posted fields, none when the body is not an object of fields. */
export function postedFields(body: unknown): Record<string, unknown> {
  const parsed = fieldsSchema.safeParse(body);
  return parsed.success ? parsed.data : {};
}

/** The form's text fields by name, to show again after an error: "" for a missing or non-text field. */
export function postedStrings<K extends string>(body: unknown, keys: readonly K[]): Record<K, string> {
  const fields = postedFields(body);
  const out = {} as Record<K, string>;
  for (const key of keys) {
    const value = fields[key];
    out[key] = typeof value === "string" ? value : "";
  }
  return out;
}
