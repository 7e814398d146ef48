/**
 * The JSON API. It uses the same session cookie as the pages, so state-changing calls carry the
 * CSRF token in an `X-CSRF-Token` header; `GET /api/session` hands it out. Bodies are validated
 * like the forms are, answering 400 with field paths, 409 when attempts are used up, 413 when too big,
 * 415 when the body is not JSON.
 */
import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { currentUser, isStaff } from "../../auth/guards";
import type { User } from "../../users/users";
import { resultForStudent } from "../../../grader/exercises/reveal";
import { answersRevealedFor } from "../exercises/reveal";
import { HttpError, badRequest } from "../../http/errors";
import { validate } from "../../../grader/exercises";
import { exerciseFrom, visibleSubmission } from "../exercises/access";
import { submitAnswer } from "../exercises/submit";
import { getSubmission, type Submission } from "../../submissions/submissions";

const submissionBody = z.object({ answer: z.unknown().refine((v) => v !== undefined, "required") });

/** The result as the viewer may see it: right answers only for staff, or once revealed to the student. */
function visibleResult(ctx: AppContext, viewer: User, s: Submission) {
  if (!s.result || isStaff(viewer)) return s.result;
  const entry = ctx.course.exerciseById(s.exerciseId);
  return resultForStudent(s.result, entry !== undefined && answersRevealedFor(ctx.db, entry.exercise, s.userId));
}

async function submissionJson(ctx: AppContext, viewer: User, s: Submission) {
  return {
    id: s.id,
    exerciseId: s.exerciseId,
    status: s.status,
    attemptNumber: s.attemptNumber,
    /** Set while a grading the machinery could not finish waits for its automatic retry. */
    retryAt: s.retryAt,
    infrastructureError: s.infraError,
    position: s.status === "queued" ? ((await ctx.queue?.position(s.id)) ?? null) : null,
    createdAt: s.createdAt,
    gradedAt: s.gradedAt,
    answer: s.answer,
    result: visibleResult(ctx, viewer, s),
  };
}

export function apiRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/session", (req, res) => {
    const user = currentUser(req);
    res.json({
      user: { id: user.id, email: user.email, name: user.name, role: user.role },
      csrfToken: res.locals.csrfToken as string,
    });
  });

  router.post("/exercises/:id/submissions", async (req, res) => {
    // Any other body type would arrive empty and be reported as a missing answer, which misleads.
    if (!req.is("application/json")) {
      throw new HttpError(415, "unsupported_media_type", "Send the body as JSON, with Content-Type: application/json.");
    }
    const entry = exerciseFrom(ctx, req);
    const body = validate(submissionBody, req.body ?? {});
    if (!body.ok) throw badRequest("The request body must be a JSON object with an `answer`.", body.issues);
    const outcome = await submitAnswer(ctx, currentUser(req).id, entry, body.data.answer);
    if (!outcome.ok) {
      throw badRequest(
        "The answer does not fit the exercise's answer shape.",
        outcome.issues.map((i) => ({ ...i, path: i.path === "(root)" ? "answer" : `answer.${i.path}` })),
      );
    }
    const submission = getSubmission(ctx.db, outcome.submissionId);
    if (!submission) throw new Error(`submission ${outcome.submissionId} vanished after insert`);
    res
      .status(201)
      .location(`/api/submissions/${submission.id}`)
      .json(await submissionJson(ctx, currentUser(req), submission));
  });

  router.get("/submissions/:id", async (req, res) => {
    res.json(await submissionJson(ctx, currentUser(req), visibleSubmission(ctx, req)));
  });

  return router;
}
