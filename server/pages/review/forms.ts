/** zod schemas of the staff review forms; messages read after the field label ("Reason is required"). */
import { z } from "zod";
import { blankIsUnset, typedNumber as score } from "../../http/number-field";
import { reviewStatuses } from "../../review/queue";

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const required = (max: number) => text(max).min(1, "is required");

export const idParam = z.object({ id: z.coerce.number().int().positive() });

/** Filters are forgiving: a malformed one is ignored rather than failing the page. */
export const queueQuery = z.object({
  status: z.preprocess(blankIsUnset, z.enum(reviewStatuses).optional()).catch(undefined),
  student: text(120).optional().catch(undefined),
  minScore: z.preprocess(blankIsUnset, z.coerce.number().min(0).optional()).catch(undefined),
  maxScore: z.preprocess(blankIsUnset, z.coerce.number().min(0).optional()).catch(undefined),
});

export const applyItemForm = z.object({ itemId: z.string().min(1, "choose an item"), comment: text(2000).default("") });
export const removeItemForm = z.object({ markId: z.coerce.number().int().positive(), reason: required(2000) });
export const overrideForm = z.object({
  score,
  reason: required(2000),
});
export const clearOverrideForm = z.object({ reason: required(2000) });

export const releaseForm = z.object({ action: z.enum(["immediate", "held", "release", "withdraw"]) });

/**
 * Answering a regrade: decline needs an explanation; accept needs an explanation and a score change,
 * either a new score (an override) or a manual rubric item.
 */
export const answerRegradeForm = z
  .object({
    requestId: z.coerce.number().int().positive(),
    decision: z.enum(["accept", "decline"], { error: "choose accept or decline" }),
    response: required(2000),
    score: z.preprocess(blankIsUnset, score.optional()),
    itemId: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  })
  .superRefine((form, ctx) => {
    if (form.decision !== "accept") return;
    if (form.score === undefined && form.itemId === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["score"],
        message: "give a new score or pick a rubric item to accept with",
      });
    }
    if (form.score !== undefined && form.itemId !== undefined) {
      ctx.addIssue({ code: "custom", path: ["score"], message: "give either a new score or a rubric item, not both" });
    }
  });
