/** zod issues of a posted HTML form as the views show them: the first message per top-level field. */
import type { z } from "zod";

/** Keyed by the field name; an issue about the whole form is under "form". */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}
