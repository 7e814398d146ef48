/**
 * Instructor pages for deadlines: every exercise's window and late policy, and per-student
 * extensions. Times in the forms are UTC (see server/deadlines/time.ts).
 */
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../context";
import type { CourseExercise } from "../../course";
import { currentUser } from "../../auth/guards";
import { notFound } from "../../http/errors";
import { flash, renderPage } from "../../http/render";
import { fieldErrors } from "../../http/form-errors";
import { deleteDeadline, getDeadline, listDeadlines, saveDeadline } from "../../deadlines/deadlines";
import { grantExtension, listExtensions, revokeExtension } from "../../deadlines/extensions";
import { applyChange, previewChange, type ApplyOutcome, type Scope } from "../../deadlines/reassess";
import { isoToLocalInput } from "../../deadlines/time";
import { formatUtc } from "../../deadlines/window";
import { findUserForLogin, listUsers } from "../../users/users";
import { exerciseFrom } from "../exercises/access";
import type { FormState } from "../../http/page-models";
import { deadlineFormSchema, extensionFormSchema } from "./deadline-forms";
import { postedFields, postedStrings } from "../../http/posted";

const deadlineKeys = ["opensAt", "dueAt", "lateUntil", "latePolicy", "penaltyPercent"] as const;
const extensionKeys = ["email", "dueAt", "lateUntil"] as const;

function storedDeadlineForm(ctx: AppContext, exerciseId: string): FormState {
  const d = getDeadline(ctx.db, exerciseId);
  return {
    values: {
      opensAt: isoToLocalInput(d?.opensAt),
      dueAt: isoToLocalInput(d?.dueAt),
      lateUntil: isoToLocalInput(d?.lateUntil),
      latePolicy: d?.latePolicy ?? "penalty",
      penaltyPercent: String(d?.penaltyPercent ?? 10),
    },
    errors: {},
  };
}

const blankExtension = (): FormState => ({ values: { email: "", dueAt: "", lateUntil: "" }, errors: {} });

export function deadlineRoutes(ctx: AppContext): Router {
  const router = Router();

  const renderEdit = (
    req: Request,
    res: Response,
    entry: CourseExercise,
    deadlineForm: FormState,
    extensionForm: FormState,
  ) => {
    const deadline = getDeadline(ctx.db, entry.exercise.id);
    renderPage(req, res, "instructor/deadline-edit", {
      title: `Deadline: ${entry.exercise.title}`,
      exercise: entry.exercise,
      deadline,
      deadlineForm,
      extensionForm,
      extensions: listExtensions(ctx.db, entry.exercise.id).map((e) => ({
        ...e,
        due: formatUtc(e.dueAt),
        lateUntil: e.lateUntil ? formatUtc(e.lateUntil) : null,
      })),
      students: listUsers(ctx.db).filter((u) => u.role === "student" && u.active),
    });
  };

  /**
   * Every change that can move a late penalty goes through here. Unless the form says it was
   * confirmed, the change is previewed (applied and rolled back); when any score would move, the
   * instructor sees each one and confirms, opting in separately to raise penalties. A change that
   * moves no score is applied at once.
   */
  const confirmOrPreview = (req: Request, res: Response, entry: CourseExercise, plan: ChangePlan) => {
    const body = postedFields(req.body);
    if (body.confirm !== "yes") {
      const changes = previewChange(ctx.db, ctx.course, plan.scope, plan.change);
      if (changes.length > 0) {
        return renderPage(req, res, "instructor/deadline-preview", {
          title: `Confirm: ${entry.exercise.title}`,
          exercise: entry.exercise,
          what: plan.what,
          action: plan.action,
          fields: plan.fields,
          changes,
          raises: changes.filter((c) => c.raises).length,
        });
      }
    }
    const outcome = applyChange(ctx.db, ctx.course, plan.scope, plan.change, {
      actorId: currentUser(req).id,
      lowerScores: body.lowerScores === "yes",
      what: plan.what,
    });
    req.log.info({ event: plan.event, exerciseId: entry.exercise.id, ...outcome }, plan.what);
    flash(req, { kind: "success", message: `${plan.done}${penaltiesNote(outcome)}` });
    res.redirect(303, `/admin/deadlines/${entry.exercise.id}`);
  };

  router.get("/deadlines", (req, res) => {
    const deadlines = listDeadlines(ctx.db);
    const rows = ctx.course.exercises.map(({ exercise }) => {
      const d = deadlines.get(exercise.id);
      return {
        id: exercise.id,
        title: exercise.title,
        points: exercise.points,
        opens: d?.opensAt ? formatUtc(d.opensAt) : null,
        due: d ? formatUtc(d.dueAt) : null,
        lateUntil: d?.lateUntil ? formatUtc(d.lateUntil) : null,
        policy: d
          ? d.latePolicy === "no-credit"
            ? "No credit after due"
            : `−${d.penaltyPercent}% per started day`
          : null,
      };
    });
    renderPage(req, res, "instructor/deadlines", { title: "Deadlines", rows });
  });

  router.get("/deadlines/:id", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    renderEdit(req, res, entry, storedDeadlineForm(ctx, entry.exercise.id), blankExtension());
  });

  router.post("/deadlines/:id", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const values = postedStrings(req.body, deadlineKeys);
    const parsed = deadlineFormSchema.safeParse(values);
    if (!parsed.success) {
      res.status(400);
      return renderEdit(req, res, entry, { values, errors: fieldErrors(parsed.error) }, blankExtension());
    }
    const d = parsed.data;
    const penaltyPercent = d.latePolicy === "penalty" ? (d.penaltyPercent ?? 0) : 0;
    const policy = d.latePolicy === "no-credit" ? "no credit after due" : `−${penaltyPercent}% per started day`;
    confirmOrPreview(req, res, entry, {
      scope: { exerciseId: entry.exercise.id, points: entry.exercise.points },
      change: () =>
        saveDeadline(
          ctx.db,
          {
            exerciseId: entry.exercise.id,
            opensAt: d.opensAt,
            dueAt: d.dueAt,
            lateUntil: d.lateUntil,
            latePolicy: d.latePolicy,
            penaltyPercent,
          },
          currentUser(req).id,
        ),
      what: `Deadline set: due ${formatUtc(d.dueAt)}, ${policy}`,
      action: `/admin/deadlines/${entry.exercise.id}`,
      fields: values,
      done: `Saved the deadline for ${entry.exercise.title}: due ${formatUtc(d.dueAt)}.`,
      event: "deadline_saved",
    });
  });

  router.post("/deadlines/:id/delete", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    confirmOrPreview(req, res, entry, {
      scope: { exerciseId: entry.exercise.id, points: entry.exercise.points },
      change: () => deleteDeadline(ctx.db, entry.exercise.id),
      what: "Deadline removed",
      action: `/admin/deadlines/${entry.exercise.id}/delete`,
      fields: {},
      done: `${entry.exercise.title} has no deadline now; its extensions were removed.`,
      event: "deadline_removed",
    });
  });

  router.post("/deadlines/:id/extensions", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const values = postedStrings(req.body, extensionKeys);
    const parsed = extensionFormSchema.safeParse(values);
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    const student = parsed.success ? findUserForLogin(ctx.db, parsed.data.email)?.user : undefined;
    if (parsed.success && student?.role !== "student") errors.email = "is not a student on the roster";
    const deadline = getDeadline(ctx.db, entry.exercise.id);
    if (!deadline) errors.form = "Set the exercise's deadline first; an extension moves it for one student.";
    else if (parsed.success && parsed.data.dueAt <= deadline.dueAt)
      errors.dueAt = `must be after the class due date (${formatUtc(deadline.dueAt)}): an extension gives more time`;
    if (!parsed.success || !student || Object.keys(errors).length > 0) {
      res.status(400);
      return renderEdit(req, res, entry, storedDeadlineForm(ctx, entry.exercise.id), { values, errors });
    }
    const extension = {
      exerciseId: entry.exercise.id,
      userId: student.id,
      dueAt: parsed.data.dueAt,
      lateUntil: parsed.data.lateUntil,
    };
    confirmOrPreview(req, res, entry, {
      scope: { exerciseId: entry.exercise.id, points: entry.exercise.points, userId: student.id },
      change: () => grantExtension(ctx.db, extension, currentUser(req).id),
      what: `Extension for ${student.email}: due ${formatUtc(parsed.data.dueAt)}`,
      action: `/admin/deadlines/${entry.exercise.id}/extensions`,
      fields: values,
      done: `${student.email} now has until ${formatUtc(parsed.data.dueAt)} for ${entry.exercise.title}.`,
      event: "extension_granted",
    });
  });

  router.post("/deadlines/:id/extensions/:userId/delete", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const userId = Number(req.params.userId);
    if (!Number.isInteger(userId) || userId <= 0) throw notFound("That extension");
    confirmOrPreview(req, res, entry, {
      scope: { exerciseId: entry.exercise.id, points: entry.exercise.points, userId },
      change: () => revokeExtension(ctx.db, entry.exercise.id, userId),
      what: "Extension removed",
      action: `/admin/deadlines/${entry.exercise.id}/extensions/${userId}/delete`,
      fields: {},
      done: "Extension removed.",
      event: "extension_revoked",
    });
  });

  return router;
}

interface ChangePlan {
  scope: Scope;
  change: () => void;
  /** The change in words, for the preview and the audit log. */
  what: string;
  /** Where the preview's confirmation posts: the same route, with the same fields. */
  action: string;
  fields: Record<string, string>;
  done: string;
  event: string;
}

/** What the flash adds when a deadline change moved late penalties, or kept them. */
function penaltiesNote(outcome: ApplyOutcome): string {
  const s = (n: number) => (n === 1 ? "" : "s");
  const changed = outcome.changed
    ? ` Late penalties were worked out again for ${outcome.changed} submission${s(outcome.changed)} from the time each was made.`
    : "";
  const kept = outcome.kept
    ? ` ${outcome.kept} submission${s(outcome.kept)} kept ${outcome.kept === 1 ? "its" : "their"} score: submitted under an earlier deadline (or none), so the higher penalty was not applied.`
    : "";
  return changed + kept;
}
