/** Grade passback as staff see it under /staff/lti: the state per student and exercise, and resending one. */
import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { flash, renderPage } from "../../http/render";
import { badRequest } from "../../http/errors";
import { validate } from "../../../grader/validation";
import { syncState } from "../sync-state";
import { resend } from "../outbox";

const resendSchema = z.object({
  contextId: z.coerce.number().int().positive(),
  userId: z.coerce.number().int().positive(),
  exerciseId: z.string().min(1).max(200),
});

export function ltiStaffRoutes(ctx: AppContext): Router {
  const router = Router();
  const { db, course } = ctx;

  router.get("/lti", (req, res) => {
    renderPage(req, res, "lti/sync", { title: "Grades sent to the LMS", rows: syncState(db), now: Date.now() });
  });

  router.post("/lti/resend", (req, res) => {
    const checked = validate(resendSchema, req.body);
    if (!checked.ok) throw badRequest("Say which course, student and exercise to resend.", checked.issues);
    const { contextId, userId, exerciseId } = checked.data;
    const known = db
      .prepare("SELECT 1 FROM lti_outbox WHERE context_id = ? AND user_id = ? AND exercise_id = ?")
      .get(contextId, userId, exerciseId);
    if (!known) throw badRequest("No score of that student on that exercise was ever sent to that LMS course.");
    const queued = resend(db, course, contextId, userId, exerciseId);
    flash(
      req,
      queued
        ? { kind: "success", message: "Queued: the current score goes to the LMS within seconds." }
        : { kind: "error", message: "That student has no graded attempt to send." },
    );
    res.redirect(303, "/staff/lti");
  });

  return router;
}
