/** The part of every exercise manifest that does not depend on its kind. */
import { z } from "zod";
import { MODULE_IDS } from "./modules";

/**
 * A rubric item a TA applies by hand (the automatic rules cannot judge free-text reasoning). Submissions
 * store only which item was applied, never its points, so editing `points` here re-scores every
 * submission that uses the item.
 */
export const manualRubricItemSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "expected a kebab-case id"),
  description: z.string().min(1).max(300),
  /** Added to the automatic score when applied; negative for deductions. */
  points: z.number().refine((p) => p !== 0, "must not be 0: use a positive bonus or a negative deduction"),
  /** Guidance for graders only; students never see it. */
  graderNote: z.string().min(1).max(1000).optional(),
});
export type ManualRubricItem = z.infer<typeof manualRubricItemSchema>;

const manualRubricSchema = z.array(manualRubricItemSchema).superRefine((items, ctx) => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id))
      ctx.addIssue({ code: "custom", path: [i, "id"], message: `"${item.id}" is used by another manual rubric item` });
    seen.add(item.id);
  });
});

export const exerciseHeaderFields = {
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "expected a kebab-case id that matches the folder name"),
  title: z.string().min(1).max(120),
  /** Which grader handles the exercise; see grader/exercises/kinds.ts. */
  kind: z.string().min(1),
  /** The lecture module the exercise belongs to. */
  module: z.enum(MODULE_IDS),
  /** One sentence for exercise lists. */
  summary: z.string().min(1).max(300).optional(),
  points: z.number().positive(),
  maxAttempts: z.number().int().positive(),
  /** Which attempt counts: the best score so far, or the last one submitted. */
  scoring: z.enum(["best", "last"]),
  /** The prompt in Markdown; leave it out to use prompt.md beside the manifest. */
  prompt: z.string().min(1).optional(),
  /** Items TAs apply by hand on top of the automatic grade (see manualRubricItemSchema). */
  manualRubric: manualRubricSchema.optional(),
  /**
   * When a failing rule's right answer (its `reveal` text) is shown to a student: once they have no
   * attempts left or the deadline has passed (the default), or always (an instructor's choice, e.g.
   * for a practice exercise).
   */
  revealAnswers: z.enum(["after-final-attempt", "always"]).optional(),
};

/** Read first, loosely, to learn the kind; the kind's own schema then checks the whole manifest strictly. */
export const exerciseHeaderSchema = z.looseObject(exerciseHeaderFields);
export type ExerciseHeaderManifest = z.infer<typeof exerciseHeaderSchema>;

/** Header fields of a loaded exercise, with the prompt resolved to Markdown source. */
export interface ExerciseHeader {
  id: string;
  title: string;
  kind: string;
  module: (typeof MODULE_IDS)[number];
  summary?: string;
  points: number;
  maxAttempts: number;
  scoring: "best" | "last";
  /** Markdown source of the prompt (inline or from prompt.md); the server renders it. */
  prompt: string;
  /** Manual rubric items from the manifest; empty when the exercise has none. */
  manualRubric: ManualRubricItem[];
  revealAnswers: "after-final-attempt" | "always";
}
