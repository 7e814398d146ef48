/**
 * A number as a person types it into a form: digits with an optional decimal part. Not
 * z.coerce.number, which reads a blank box as 0 and takes "0x5" and "1e1". Blank is "is required";
 * wrap in z.preprocess to make a blank box mean "not given".
 */
import { z } from "zod";

export const typedNumber = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .regex(/^\d+(\.\d+)?$/, "must be a number such as 12 or 12.5")
  .transform(Number);

/** For z.preprocess: a blank box is undefined. */
export const blankIsUnset = (v: unknown): unknown => (typeof v === "string" && v.trim() === "" ? undefined : v);
