/** zod schemas for the deadline and extension forms, with cross-field checks reported at the field. */
import { z } from "zod";
import { optionalUtcTimeField, utcTimeField } from "../../deadlines/time";
import { blankIsUnset, typedNumber } from "../../http/number-field";

export const deadlineFormSchema = z
  .object({
    opensAt: optionalUtcTimeField,
    dueAt: utcTimeField,
    lateUntil: optionalUtcTimeField,
    latePolicy: z.enum(["penalty", "no-credit"], { error: "choose a penalty per day or no credit" }),
    // Blank is fine under "no credit", where there is no per-day penalty to give.
    penaltyPercent: z.preprocess(blankIsUnset, typedNumber.pipe(z.number().max(100, "must be at most 100")).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.latePolicy === "penalty" && v.penaltyPercent === undefined)
      ctx.addIssue({ code: "custom", path: ["penaltyPercent"], message: "is required for a penalty per day" });
    if (v.opensAt && v.opensAt >= v.dueAt)
      ctx.addIssue({ code: "custom", path: ["opensAt"], message: "must be before the due date" });
    if (v.lateUntil && v.lateUntil < v.dueAt)
      ctx.addIssue({ code: "custom", path: ["lateUntil"], message: "must not be before the due date" });
  });

export const extensionFormSchema = z
  .object({
    email: z.string().trim().toLowerCase().min(1, "is required"),
    dueAt: utcTimeField,
    lateUntil: optionalUtcTimeField,
  })
  .superRefine((v, ctx) => {
    if (v.lateUntil && v.lateUntil < v.dueAt)
      ctx.addIssue({ code: "custom", path: ["lateUntil"], message: "must not be before the new due date" });
  });
