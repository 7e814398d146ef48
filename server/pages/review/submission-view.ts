/** Everything the staff submission page shows, gathered in one place so re-rendering a form after bad input shows the same page. */
import type { Request, Response } from "express";
import type { AppContext } from "../../context";
import { renderPage } from "../../http/render";
import { notFound } from "../../http/errors";
import { currentUser } from "../../auth/guards";
import { getSubmission, listSubmissions, submittedCode, type Submission } from "../../submissions/submissions";
import { findUserById } from "../../users/users";
import { attemptScores, gradeBreakdown, submissionBreakdown } from "../../grades";
import { activeMarks } from "../../review/marks";
import { activeOverride } from "../../review/overrides";
import { requestsFor } from "../../review/regrade-requests";
import { auditLog, auditActionLabels } from "../../review/audit";
import { deadlineFor, relativeToDeadline } from "../../review/deadline";
import { liveClaim } from "../../review/claims";
import { reviewedBy } from "../../review/reviews";
import { releaseState } from "../../review/release";
import { idParam } from "./forms";

/** Which form failed and what was typed, so the page shows the message at the field with the input kept. */
export interface FormState {
  name: "apply" | "remove" | "override" | "clear" | "regrade";
  /** For per-row forms (a mark, a regrade request): which row. */
  rowId?: number;
  values: Record<string, string>;
  errors: Record<string, string>;
}

export function staffSubmission(ctx: AppContext, req: Request): Submission {
  const parsed = idParam.safeParse(req.params);
  const submission = parsed.success ? getSubmission(ctx.db, parsed.data.id) : undefined;
  if (!submission) throw notFound("That submission");
  return submission;
}

export function renderStaffSubmission(
  ctx: AppContext,
  req: Request,
  res: Response,
  submission: Submission,
  form?: FormState,
): void {
  const entry = ctx.course.exerciseById(submission.exerciseId);
  const items = entry?.exercise.manualRubric ?? [];
  const marks = activeMarks(ctx.db, submission.id).map((mark) => ({
    mark,
    item: items.find((i) => i.id === mark.itemId),
  }));
  const deadline = deadlineFor(ctx.db, submission.exerciseId, submission.userId);
  if (form) res.status(400);
  const scores = attemptScores(ctx.db, ctx.course, submission.userId, submission.exerciseId, "staff");
  renderPage(req, res, "review/submission", {
    title: `Review submission ${submission.attemptNumber}`,
    scoreView: scores.get(submission.id),
    scores,
    submission,
    // Staff always see the right answers beside a failing rule.
    revealAnswers: true,
    student: findUserById(ctx.db, submission.userId),
    exercise: entry?.exercise,
    code: submittedCode(submission),
    breakdown: submissionBreakdown(ctx.db, ctx.course, submission.id),
    // Which attempt the student's grade comes from (best or last, as the exercise scores).
    countingId: gradeBreakdown(ctx.db, ctx.course, submission.userId, submission.exerciseId)?.submissionId,
    scoring: entry?.exercise.scoring ?? "best",
    items,
    appliedIds: new Set(marks.map((m) => m.mark.itemId)),
    marks,
    override: activeOverride(ctx.db, submission.id),
    requests: requestsFor(ctx.db, submission.id),
    attempts: listSubmissions(ctx.db, submission.userId, submission.exerciseId).filter((s) => s.id !== submission.id),
    audit: auditLog(ctx.db, submission.id),
    auditLabels: auditActionLabels,
    deadline,
    relativeDeadline: deadline ? relativeToDeadline(submission.createdAt, deadline.dueAt) : undefined,
    claim: liveClaim(ctx.db, submission.id),
    me: currentUser(req),
    reviewed: reviewedBy(ctx.db, submission.id),
    release: releaseState(ctx.db, submission.exerciseId),
    form: form ?? { name: "none", values: {}, errors: {} },
  });
}
