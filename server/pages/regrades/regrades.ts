/**
 * The student side of manual grading, mounted behind requireStudent before the exercise pages:
 * adds released manual feedback and regrade requests to the submission page (as res.locals, so the
 * exercise pages need not know about reviews), and takes regrade requests, on one's own submissions only.
 */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { currentUser } from "../../auth/guards";
import { forbidden } from "../../http/errors";
import { flash, renderPage } from "../../http/render";
import type { Submission } from "../../submissions/submissions";
import { visibleSubmission } from "../exercises/access";
import { OpenRequestExistsError, createRegradeRequest } from "../../review/regrade-requests";
import { studentFeedback, type StudentFeedback } from "./student-feedback";

const regradeForm = z.object({
  reason: z.string().trim().min(10, "must say what you think was graded wrongly (at least 10 characters)").max(2000, "must be at most 2000 characters"),
});

export function regradeRoutes(ctx: AppContext): Router {
  const router = Router();

  /** The submission page as the exercise pages render it, plus this feature's part. */
  const renderSubmission = (req: Request, res: Response, submission: Submission, form: StudentFeedback["form"]) => {
    const entry = ctx.course.exerciseById(submission.exerciseId);
    renderPage(req, res, "submission", {
      title: `Submission ${submission.id}`,
      submission,
      exercise: entry?.exercise,
      module: entry ? ctx.course.moduleById(entry.exercise.module) : undefined,
      position: submission.status === "queued" ? ctx.queue?.position(submission.id) : undefined,
      isOwner: true,
      regrade: studentFeedback(ctx.db, ctx.course, submission, form),
    });
  };

  // Runs before the exercise pages' own handler and only adds locals; staff use /staff/submissions.
  router.get("/submissions/:id", (req, res, next) => {
    const submission = visibleSubmission(ctx, req);
    if (submission.userId === currentUser(req).id) res.locals.regrade = studentFeedback(ctx.db, ctx.course, submission);
    next();
  });

  router.post("/submissions/:id/regrades", (req, res) => {
    const submission = visibleSubmission(ctx, req);
    const user = currentUser(req);
    // Staff pass visibleSubmission, but a regrade request is the owner's to make.
    if (submission.userId !== user.id) throw forbidden();
    const values = { reason: typeof req.body?.reason === "string" ? req.body.reason : "" };
    const fail = (errors: Record<string, string>, status = 400) => {
      res.status(status);
      renderSubmission(req, res, submission, { values, errors });
    };
    if (submission.status !== "graded") return fail({ reason: "can only be given for a graded submission" });
    const parsed = regradeForm.safeParse(req.body);
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
