/**
 * Exercise pages for students: the list, one exercise with its form (or code editor), drafts, the
 * no-JavaScript list buttons, submitting, and a submission's result.
 */
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../context";
import { isCodeExercise, type CourseExercise } from "../../course";
import { currentUser } from "../../auth/guards";
import { renderPage } from "../../http/render";
import { postedFields } from "../../http/posted";
import { coerceFormAnswer, emptyAnswer } from "../../../grader/exercises";
import { loadDraft, saveDraft } from "../../submissions/drafts";
import { studentGrade } from "../../grades";
import { listSubmissions } from "../../submissions/submissions";
import { applyFormAction, parseFormAction, toFormState, type FormGroup } from "./form-state";
import { exerciseFrom, visibleSubmission } from "./access";
import { exerciseStatuses } from "./status";
import { exercisePageLocals, type FormView } from "./exercise-page";
import { submitAnswer } from "./submit";
import { renderSubmissionPage } from "./submission-page";
import { flash } from "../../http/render";
import { SubmissionWindowClosed } from "../../deadlines/submission-window";

/** What the form shows: a draft if there is one, else the last submitted answer, else a blank form. */
function initialForm(ctx: AppContext, userId: number, entry: CourseExercise): FormView {
  const { exercise } = entry;
  const draft = loadDraft(ctx.db, userId, exercise.id)?.data;
  const last = listSubmissions(ctx.db, userId, exercise.id)[0]?.answer;
  if (isCodeExercise(entry)) {
    const pick = [draft, last].find(
      (v): v is { code: string } => typeof (v as { code?: unknown } | undefined)?.code === "string",
    );
    return { values: { code: pick?.code ?? exercise.starterCode ?? "" }, issues: [] };
  }
  const shape = entry.exercise.answerShape;
  return { values: toFormState(shape, draft ?? last ?? emptyAnswer(shape)), issues: [] };
}

function renderExercise(ctx: AppContext, req: Request, res: Response, entry: CourseExercise, form: FormView): void {
  const userId = currentUser(req).id;
  const exerciseId = entry.exercise.id;
  renderPage(
    req,
    res,
    "exercise",
    exercisePageLocals(ctx, entry, form, {
      userId,
      submissions: listSubmissions(ctx.db, userId, exerciseId),
      grade: studentGrade(ctx.db, ctx.course, userId, exerciseId),
    }),
  );
}

/** The posted form turned into form state (structured) or code, whatever the student typed. */
function postedValues(entry: CourseExercise, body: unknown): FormGroup | { code: string } {
  const record = postedFields(body);
  if (isCodeExercise(entry)) return { code: typeof record.code === "string" ? record.code : "" };
  return toFormState(entry.exercise.answerShape, record.answer);
}

export function exerciseRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/exercises", (req, res) => {
    const statuses = exerciseStatuses(ctx.db, ctx.course, currentUser(req).id);
    const groups = ctx.course.modules
      .map((module) => ({
        module,
        exercises: ctx.course.exercisesForModule(module.id).map((e) => statuses.get(e.exercise.id)!),
      }))
      .filter((g) => g.exercises.length > 0);
    renderPage(req, res, "exercises", { title: "Exercises", groups });
  });

  router.get("/exercises/:id", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    renderExercise(ctx, req, res, entry, initialForm(ctx, currentUser(req).id, entry));
  });

  // Saves the draft; with a list button (add / remove / move) also edits the form first. Browsers with
  // JavaScript call this in the background (JSON) to autosave; without it, it redirects back.
  router.post("/exercises/:id/form", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const values = postedValues(entry, req.body);
    const action = parseFormAction(postedFields(req.body)._action);
    if (action && !isCodeExercise(entry)) applyFormAction(entry.exercise.answerShape, values, action);
    saveDraft(ctx.db, currentUser(req).id, entry.exercise.id, values);
    if (req.accepts(["html", "json"]) === "json") return res.json({ saved: true });
    const anchor = action ? `#field-${action.listPath.join("-")}` : "#answer-form";
    res.redirect(`/exercises/${entry.exercise.id}${action ? "" : "?saved=1"}${anchor}`);
  });

  router.post("/exercises/:id/submissions", async (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const user = currentUser(req);
    const values = postedValues(entry, req.body);
    const answer = isCodeExercise(entry)
      ? values
      : coerceFormAnswer(entry.exercise.answerShape, postedFields(req.body).answer);
    // Keep what was typed even if the submission is refused below.
    saveDraft(ctx.db, user.id, entry.exercise.id, values);
    let outcome;
    try {
      outcome = await submitAnswer(ctx, user.id, entry, answer);
    } catch (err) {
      if (!(err instanceof SubmissionWindowClosed)) throw err;
      // Outside the deadline window: say why on the exercise page itself, with the answer kept.
      flash(req, { kind: "error", message: `Not submitted: ${err.message}` });
      res.status(err.status);
      return renderExercise(ctx, req, res, entry, initialForm(ctx, user.id, entry));
    }
    if (!outcome.ok) {
      res.status(400);
      return renderExercise(ctx, req, res, entry, {
        values: isCodeExercise(entry) ? values : toFormState(entry.exercise.answerShape, answer),
        issues: outcome.issues,
      });
    }
    res.redirect(303, `/submissions/${outcome.submissionId}`);
  });

  router.get("/submissions/:id", async (req, res) => {
    await renderSubmissionPage(ctx, req, res, visibleSubmission(ctx, req));
  });

  return router;
}
