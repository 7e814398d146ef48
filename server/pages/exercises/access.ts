import type { Request } from "express";
import type { AppContext } from "../../context";
import type { CourseExercise } from "../../course";
import { currentUser, isStaff } from "../../auth/guards";
import { notFound } from "../../http/errors";
import { getSubmission, type Submission } from "../../submissions/submissions";

export function exerciseFrom(ctx: AppContext, req: Request): CourseExercise {
  const entry = ctx.course.exerciseById(String(req.params.id));
  if (!entry) throw notFound("That exercise");
  return entry;
}

/**
 * A submission its owner or course staff may see. Anyone else gets the same 404 as for an id that
 * does not exist, so ids cannot be enumerated by telling 403 from 404.
 */
export function visibleSubmission(ctx: AppContext, req: Request): Submission {
  const id = Number(req.params.id);
  const submission = Number.isInteger(id) && id > 0 ? getSubmission(ctx.db, id) : undefined;
  if (!submission) throw notFound("That submission");
  const user = currentUser(req);
  if (submission.userId !== user.id && !isStaff(user)) throw notFound("That submission");
  return submission;
}
