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
import { reassessLateness } from "../../deadlines/reassess";
import { isoToLocalInput } from "../../deadlines/time";
import { formatUtc } from "../../deadlines/window";
import { findUserForLogin, listUsers } from "../../users/users";
import { exerciseFrom } from "../exercises/access";
import { deadlineFormSchema, extensionFormSchema, postedStrings } from "./deadline-forms";

interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

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

  const renderEdit = (req: Request, res: Response, entry: CourseExercise, deadlineForm: FormState, extensionForm: FormState) => {
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
        policy: d ? (d.latePolicy === "no-credit" ? "No credit after due" : `−${d.penaltyPercent}% per started day`) : null,
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
    saveDeadline(
      ctx.db,
      { exerciseId: entry.exercise.id, opensAt: d.opensAt, dueAt: d.dueAt, lateUntil: d.lateUntil, latePolicy: d.latePolicy, penaltyPercent: d.latePolicy === "penalty" ? (d.penaltyPercent ?? 0) : 0 },
      currentUser(req).id,
    );
    const reassessed = reassessLateness(ctx.db, { exerciseId: entry.exercise.id, points: entry.exercise.points });
    req.log.info({ event: "deadline_saved", exerciseId: entry.exercise.id, reassessed }, "deadline saved");
    flash(req, { kind: "success", message: `Saved the deadline for ${entry.exercise.title}: due ${formatUtc(d.dueAt)}.${penaltiesNote(reassessed)}` });
    res.redirect(303, `/admin/deadlines/${entry.exercise.id}`);
  });

  router.post("/deadlines/:id/delete", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    deleteDeadline(ctx.db, entry.exercise.id);
    const reassessed = reassessLateness(ctx.db, { exerciseId: entry.exercise.id, points: entry.exercise.points });
    flash(req, { kind: "success", message: `${entry.exercise.title} has no deadline now; its extensions were removed.${penaltiesNote(reassessed)}` });
    res.redirect(303, `/admin/deadlines/${entry.exercise.id}`);
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
    else if (parsed.success && parsed.data.dueAt <= deadline.dueAt) errors.dueAt = `must be after the class due date (${formatUtc(deadline.dueAt)}): an extension gives more time`;
    if (!parsed.success || !student || Object.keys(errors).length > 0) {
      res.status(400);
      return renderEdit(req, res, entry, storedDeadlineForm(ctx, entry.exercise.id), { values, errors });
    }
    grantExtension(ctx.db, { exerciseId: entry.exercise.id, userId: student.id, dueAt: parsed.data.dueAt, lateUntil: parsed.data.lateUntil }, currentUser(req).id);
    const reassessed = reassessLateness(ctx.db, { exerciseId: entry.exercise.id, points: entry.exercise.points, userId: student.id });
    req.log.info({ event: "extension_granted", exerciseId: entry.exercise.id, userId: student.id, reassessed }, "extension granted");
    flash(req, { kind: "success", message: `${student.email} now has until ${formatUtc(parsed.data.dueAt)} for ${entry.exercise.title}.${penaltiesNote(reassessed)}` });
    res.redirect(303, `/admin/deadlines/${entry.exercise.id}`);
  });

  router.post("/deadlines/:id/extensions/:userId/delete", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const userId = Number(req.params.userId);
    if (!Number.isInteger(userId) || userId <= 0) throw notFound("That extension");
    revokeExtension(ctx.db, entry.exercise.id, userId);
    const reassessed = reassessLateness(ctx.db, { exerciseId: entry.exercise.id, points: entry.exercise.points, userId });
    flash(req, { kind: "success", message: `Extension removed.${penaltiesNote(reassessed)}` });
    res.redirect(303, `/admin/deadlines/${entry.exercise.id}`);
  });

  return router;
}

/** What the flash adds when a deadline change moved late penalties. */
function penaltiesNote(reassessed: number): string {
  if (reassessed === 0) return "";
  return ` Late penalties were worked out again for ${reassessed} submission${reassessed === 1 ? "" : "s"} from the time each was made.`;
}
