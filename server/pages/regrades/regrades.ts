/**
 * The student side of manual grading: takes regrade requests, on one's own submissions only. What a
 * student sees of manual feedback is `studentFeedback`, which the submission page includes.
 */
import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { currentUser } from "../../auth/guards";
import { forbidden } from "../../http/errors";
import { flash } from "../../http/render";
import { postedStrings } from "../../http/posted";
import { visibleSubmission } from "../exercises/access";
import { renderSubmissionPage } from "../exercises/submission-page";
import { OpenRequestExistsError, createRegradeRequest } from "../../review/regrade-requests";

const regradeRequestForm = z.object({
  reason: z
    .string()
    .trim()
    .min(10, "must say what you think was graded wrongly (at least 10 characters)")
    .max(2000, "must be at most 2000 characters"),
});

/** A student's request that staff look at a grade again; not the instructor's re-run of the grader (instructor/rerun-grading.ts). */
export function regradeRequestRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post("/submissions/:id/regrades", async (req, res) => {
    const submission = visibleSubmission(ctx, req);
    const user = currentUser(req);
    // app.ts lets only students here and visibleSubmission hides others' work; this keeps it so if either changes.
    if (submission.userId !== user.id) throw forbidden();
    const values = postedStrings(req.body, ["reason"]);
    const fail = (errors: Record<string, string>, status = 400) => {
      res.status(status);
      return renderSubmissionPage(ctx, req, res, submission, { values, errors });
    };
    if (submission.score === null) return fail({ reason: "can only be given for a graded submission" });
    const parsed = regradeRequestForm.safeParse(req.body);
    if (!parsed.success) return fail({ reason: parsed.error.issues[0]?.message ?? "is not valid" });
    try {
      createRegradeRequest(ctx.db, { submissionId: submission.id, studentId: user.id, reason: parsed.data.reason });
    } catch (err) {
      if (err instanceof OpenRequestExistsError) return fail({ form: err.message }, 409);
      throw err;
    }
    req.log.info({ event: "regrade_requested", submissionId: submission.id }, "regrade requested");
    flash(req, { kind: "success", message: "Regrade requested. Course staff will answer here." });
    res.redirect(303, `/submissions/${submission.id}#regrade`);
  });

  return router;
}
