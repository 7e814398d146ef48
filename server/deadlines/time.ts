/**
 * Times in forms. Deadlines are stored as UTC ISO strings and the forms' datetime-local inputs are
 * read and shown in UTC too (the course time zone is UTC), so nobody's browser time zone shifts a
 * deadline. The pages say "UTC" next to every input.
 */
import { z } from "zod";

/** "2026-12-01T23:59" (what datetime-local posts) as UTC, or undefined when the text is not such a time. */
export function localInputToIso(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const withSeconds = value.length === 16 ? `${value}:00` : value;
  const ms = Date.parse(`${withSeconds}Z`);
  if (Number.isNaN(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  // Date.parse rolls impossible dates over (Feb 30 becomes Mar 2): only a date that exists round-trips.
  return iso.slice(0, 19) === withSeconds ? iso : undefined;
}

/** The value a datetime-local input shows for a stored time. */
export function isoToLocalInput(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 16) : "";
}

/** A required datetime-local field, parsed to a UTC ISO string. */
export const utcTimeField = z
  .string()
  .trim()
  .min(1, "is required")
  .transform((v, ctx) => {
    const iso = localInputToIso(v);
    if (!iso) {
      ctx.addIssue({ code: "custom", message: "must be a date and time (YYYY-MM-DDTHH:MM, UTC)" });
      return z.NEVER;
    }
    return iso;
  });

/** An optional datetime-local field: blank means none. */
export const optionalUtcTimeField = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const iso = localInputToIso(v);
    if (!iso) {
      ctx.addIssue({ code: "custom", message: "must be a date and time (YYYY-MM-DDTHH:MM, UTC) or blank" });
      return z.NEVER;
    }
    return iso;
  });
