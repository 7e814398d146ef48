/**
 * Staff review pages, mounted at /staff behind requireStaff (TAs and instructors): the per-exercise
 * queue with filters and "next ungraded", the submission view, manual rubric items, overrides,
 * answering regrade requests and releasing feedback. Every grade change goes through
 * server/review/changes.ts, which writes the audit log.
 */
import { Router, type Request, type Response } from "express";
import type { z } from "zod";
import type { AppContext } from "../../context";
import { currentUser } from "../../auth/guards";
import { flash, renderPage } from "../../http/render";
import { fieldErrors } from "../../http/form-errors";
import { postedFields } from "../../http/posted";
import { attemptScores, countingSubmissions, submissionBreakdown } from "../../grades";
import { reviewQueue, reviewStatuses, reviewStatusLabels, statusCounts } from "../../review/queue";
import { CLAIM_MINUTES, claimNextUngraded, releaseClaim } from "../../review/claims";
import { releaseFeedback, releaseState, setReleaseMode, withdrawRelease } from "../../review/release";
import { markReviewed } from "../../review/reviews";
import {
  GradeChangeError,
  answerRegrade,
  applyItem,
  clearOverride,
  removeItem,
  setOverride,
  type ChangeContext,
} from "../../review/changes";
import {
  answerRegradeForm,
  applyItemForm,
  clearOverrideForm,
  overrideForm,
  queueQuery,
  releaseForm,
  removeItemForm,
} from "./forms";
import { exerciseFrom } from "../exercises/access";
import { retryGradingNow } from "../../queue/jobs";
import { recordAudit } from "../../review/audit";
import { renderStaffSubmission, staffSubmission, type FormState } from "./submission-view";

/** The posted fields as strings, to put back into the form after a refusal. */
function typed(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(postedFields(body)))
    if (key !== "_csrf" && typeof value === "string") out[key] = value;
  return out;
}

export function reviewRoutes(ctx: AppContext): Router {
  const router = Router();
  const changeCtx = (req: Request): ChangeContext => ({ db: ctx.db, course: ctx.course, actorId: currentUser(req).id });
  const counting = (exerciseId: string) => countingSubmissions(ctx.db, ctx.course, exerciseId);
  const queueOf = (exercise: { id: string; manualRubric: readonly unknown[] }, student?: string) =>
    reviewQueue(ctx.db, {
      exerciseId: exercise.id,
      student,
      hasManualRubric: exercise.manualRubric.length > 0,
      counting: counting(exercise.id),
    });

  router.get("/", (req, res) => {
    const exercises = ctx.course.exercises.map((entry) => ({
      exercise: entry.exercise,
      counts: statusCounts(queueOf(entry.exercise)),
      release: releaseState(ctx.db, entry.exercise.id),
    }));
    renderPage(req, res, "review/index", { title: "Staff: review", exercises, statusLabels: reviewStatusLabels });
  });

  router.get("/exercises/:id", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const query = queueQuery.parse(req.query);
    const all = queueOf(entry.exercise, query.student);
    // The score filter is on the final score, which depends on manual items: computed per student,
    // once for all their attempts, as staff see them.
    const perStudent = new Map<number, ReturnType<typeof attemptScores>>();
    const scoreOf = (item: (typeof all)[number]) => {
      let scores = perStudent.get(item.userId);
      if (!scores)
        perStudent.set(
          item.userId,
          (scores = attemptScores(ctx.db, ctx.course, item.userId, entry.exercise.id, "staff")),
        );
      return scores.get(item.submissionId);
    };
    const rows = all
      .filter((item) => !query.status || item.status === query.status)
      .map((item) => ({ item, scoreView: scoreOf(item) }))
      .filter(({ scoreView }) => {
        const final = scoreView?.final ?? 0;
        return (
          (query.minScore === undefined || final >= query.minScore) &&
          (query.maxScore === undefined || final <= query.maxScore)
        );
      });
    renderPage(req, res, "review/queue", {
      title: `Review: ${entry.exercise.title}`,
      exercise: entry.exercise,
      rows,
      counts: statusCounts(all),
      query,
      statuses: reviewStatuses,
      statusLabels: reviewStatusLabels,
      release: releaseState(ctx.db, entry.exercise.id),
      me: currentUser(req),
      now: Date.now(),
    });
  });

  // A POST because it claims: the TA holds the submission for CLAIM_MINUTES so no one else gets it.
  router.post("/exercises/:id/next", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const next = claimNextUngraded(ctx.db, entry.exercise, currentUser(req).id, () => counting(entry.exercise.id));
    if (next === undefined) {
      flash(req, {
        kind: "info",
        message: "Nothing left to review here: every submission is reviewed or held by another TA.",
      });
      return res.redirect(303, `/staff/exercises/${entry.exercise.id}`);
    }
    flash(req, {
      kind: "info",
      message: `This submission is yours for ${CLAIM_MINUTES} minutes; no other TA gets it from "next ungraded" meanwhile.`,
    });
    res.redirect(303, `/staff/submissions/${next}`);
  });

  router.post("/exercises/:id/feedback", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const parsed = releaseForm.safeParse(req.body);
    if (!parsed.success) {
      flash(req, { kind: "error", message: "Choose how feedback is released." });
      return res.redirect(303, `/staff/exercises/${entry.exercise.id}`);
    }
    const id = entry.exercise.id;
    const action = parsed.data.action;
    if (action === "release") releaseFeedback(ctx.db, id, currentUser(req).id);
    else if (action === "withdraw") withdrawRelease(ctx.db, id);
    else setReleaseMode(ctx.db, id, action);
    const messages = {
      release: "Feedback released: students now see manual feedback and final scores.",
      withdraw: "Release withdrawn: students see only automatic results until you release again.",
      immediate: "Manual feedback now reaches students as soon as it is given.",
      held: "Manual feedback is now held until you release it.",
    };
    req.log.info({ event: "feedback_release", exerciseId: id, action }, "feedback release changed");
    flash(req, { kind: "success", message: messages[action] });
    res.redirect(303, `/staff/exercises/${id}`);
  });

  router.get("/submissions/:id", (req, res) => {
    renderStaffSubmission(ctx, req, res, staffSubmission(ctx, req));
  });

  /**
   * Runs one grade-changing form: validate, change (audited), then back to the page; bad input or a
   * refused change re-renders the page with the message at the field and the input kept.
   */
  const gradeForm = <T>(
    name: FormState["name"],
    schema: z.ZodType<T>,
    run: (req: Request, submissionId: number, data: T) => string,
    rowId?: (body: Record<string, string>) => number | undefined,
  ) => {
    return (req: Request, res: Response) => {
      const submission = staffSubmission(ctx, req);
      const values = typed(req.body);
      const fail = (errors: Record<string, string>) =>
        renderStaffSubmission(ctx, req, res, submission, { name, rowId: rowId?.(values), values, errors });
      if (submission.score === null) return fail({ form: "Only graded submissions can be reviewed." });
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) return fail(fieldErrors(parsed.error));
      try {
        flash(req, { kind: "success", message: run(req, submission.id, parsed.data) });
      } catch (err) {
        if (err instanceof GradeChangeError) return fail({ [err.field]: err.message });
        throw err;
      }
      res.redirect(303, `/staff/submissions/${submission.id}`);
    };
  };

  router.post(
    "/submissions/:id/items",
    gradeForm("apply", applyItemForm, (req, submissionId, data) => {
      applyItem(changeCtx(req), { submissionId, itemId: data.itemId, comment: data.comment });
      return `Applied "${data.itemId}".`;
    }),
  );

  router.post(
    "/submissions/:id/items/remove",
    gradeForm(
      "remove",
      removeItemForm,
      (req, submissionId, data) => {
        removeItem(changeCtx(req), { submissionId, markId: data.markId, reason: data.reason });
        return "Rubric item removed.";
      },
      (body) => Number(body.markId) || undefined,
    ),
  );

  router.post(
    "/submissions/:id/override",
    gradeForm("override", overrideForm, (req, submissionId, data) => {
      const max = submissionBreakdown(ctx.db, ctx.course, submissionId)?.max ?? 0;
      if (data.score > max) throw new GradeChangeError("score", `must be at most ${max}, the submission's maximum`);
      setOverride(changeCtx(req), { submissionId, score: data.score, reason: data.reason });
      return `Score overridden to ${data.score}.`;
    }),
  );

  router.post(
    "/submissions/:id/override/clear",
    gradeForm("clear", clearOverrideForm, (req, submissionId, data) => {
      clearOverride(changeCtx(req), { submissionId, reason: data.reason });
      return "Override cleared: the computed score counts again.";
    }),
  );

  router.post(
    "/submissions/:id/regrade",
    gradeForm(
      "regrade",
      answerRegradeForm,
      (req, submissionId, data) => {
        if (data.decision === "accept" && data.score !== undefined) {
          const max = submissionBreakdown(ctx.db, ctx.course, submissionId)?.max ?? 0;
          if (data.score > max) throw new GradeChangeError("score", `must be at most ${max}, the submission's maximum`);
        }
        const change =
          data.decision !== "accept"
            ? undefined
            : data.score !== undefined
              ? { kind: "override" as const, score: data.score }
              : { kind: "item" as const, itemId: data.itemId ?? "" };
        answerRegrade(changeCtx(req), {
          requestId: data.requestId,
          submissionId,
          decision: data.decision,
          response: data.response,
          change,
        });
        return data.decision === "accept"
          ? "Regrade accepted; the student sees your answer."
          : "Regrade declined; the student sees your explanation.";
      },
      (body) => Number(body.requestId) || undefined,
    ),
  );

  // A grading the machinery could not finish goes back in line now; the audit log says who asked.
  router.post("/submissions/:id/retry-grading", (req, res) => {
    const submission = staffSubmission(ctx, req);
    const before = submissionBreakdown(ctx.db, ctx.course, submission.id)?.final ?? null;
    const retried = ctx.db.transaction(() => {
      if (!retryGradingNow(ctx.db, submission.id)) return false;
      recordAudit(ctx.db, {
        submissionId: submission.id,
        actorId: currentUser(req).id,
        action: "grading_retried",
        beforeScore: before,
        afterScore: before,
        detail: submission.infraError ?? "",
        reason: "",
      });
      return true;
    })();
    if (!retried) {
      flash(req, {
        kind: "error",
        message:
          "Nothing to retry: this submission's last grading did not fail on the machinery, or it is already in line.",
      });
      return res.redirect(303, `/staff/submissions/${submission.id}`);
    }
    ctx.queue?.notify();
    req.log.info({ event: "grading_retried", submissionId: submission.id }, "grading retried by staff");
    flash(req, {
      kind: "success",
      message:
        "Grading retried: the submission is back in line; its result in force (if any) stands until the new one is recorded.",
    });
    res.redirect(303, `/staff/submissions/${submission.id}`);
  });

  router.post("/submissions/:id/reviewed", (req, res) => {
    const submission = staffSubmission(ctx, req);
    const me = currentUser(req);
    markReviewed(ctx.db, submission.id, me.id);
    releaseClaim(ctx.db, submission.id, me.id);
    flash(req, { kind: "success", message: "Marked reviewed." });
    res.redirect(303, `/staff/exercises/${submission.exerciseId}`);
  });

  return router;
}
