import type { Request } from "express";
import type { AppContext } from "../../context";
import type { CourseExercise } from "../../course";
import { currentUser, isStaff } from "../../auth/guards";
import { forbidden, notFound } from "../../http/errors";
import { getSubmission, type Submission } from "../../submissions/submissions";

export function exerciseFrom(ctx: AppContext, req: Request): CourseExercise {
  const entry = ctx.course.exerciseById(String(req.params.id));
  if (!entry) throw notFound("That exercise");
  return entry;
}

/** A submission its owner or course staff may see; anyone else gets 403. */
export function visibleSubmission(ctx: AppContext, req: Request): Submission {
  const id = Number(req.params.id);
  const submission = Number.isInteger(id) && id > 0 ? getSubmission(ctx.db, id) : undefined;
  if (!submission) throw notFound("That submission");
  const user = currentUser(req);
  if (submission.userId !== user.id && !isStaff(user)) throw forbidden();
  return submission;
}
