/**
 * The submission page, rendered from one place: after a submit (GET /submissions/:id) and when a
 * regrade request on it needs correcting. Its owner also sees released manual feedback and the
 * regrade form; staff review the same submission on /staff/submissions/:id.
 */
import type { Request, Response } from "express";
import type { AppContext } from "../../context";
import { currentUser, isStaff } from "../../auth/guards";
import { resultForStudent } from "../../../grader/exercises/reveal";
import { answersRevealedFor } from "./reveal";
import { renderPage } from "../../http/render";
import { submittedCode, type Submission } from "../../submissions/submissions";
import { studentFeedback, type StudentFeedback } from "../regrades/student-feedback";
import { submissionScore } from "../../grades";

export async function renderSubmissionPage(
  ctx: AppContext,
  req: Request,
  res: Response,
  submission: Submission,
  regradeForm?: StudentFeedback["form"],
): Promise<void> {
  const entry = ctx.course.exerciseById(submission.exerciseId);
  const position = submission.status === "queued" ? await ctx.queue?.position(submission.id) : undefined;
  const viewer = currentUser(req);
  const isOwner = submission.userId === viewer.id;
  // A student sees a failing rule's right answer only once answers are revealed for them.
  const revealAnswers =
    isStaff(viewer) || (entry !== undefined && answersRevealedFor(ctx.db, entry.exercise, submission.userId));
  const shown = submission.result
    ? { ...submission, result: resultForStudent(submission.result, revealAnswers) }
    : submission;
  renderPage(req, res, "submission", {
    title: `Submission ${submission.attemptNumber}${entry ? ` at ${entry.exercise.title}` : ""}`,
    scoreView: submissionScore(ctx.db, ctx.course, submission, isOwner ? "student" : "staff"),
    submission: shown,
    revealAnswers,
    code: submittedCode(submission),
    exercise: entry?.exercise,
    module: entry ? ctx.course.moduleById(entry.exercise.module) : undefined,
    position,
    isOwner,
    regrade: isOwner ? studentFeedback(ctx.db, ctx.course, submission, regradeForm) : undefined,
  });
}
