/**
 * Authoring in the browser: every exercise with its validation state, a preview as students see it,
 * "try an answer" graded without recording, reloading the files without a restart, and regrading an
 * exercise's submissions after its rubric changed (with history).
 */
import { basename } from "node:path";
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { isCodeExercise, type CourseExercise } from "../../course";
import { currentUser } from "../../auth/guards";
import { flash, renderPage } from "../../http/render";
import type { TryView } from "../../http/page-models";
import {
  checkExerciseSamples,
  checkLinks,
  coerceFormAnswer,
  emptyAnswer,
  loadExerciseFolder,
  type LoadIssue,
} from "../../../grader/exercises";
import { exerciseFrom } from "../exercises/access";
import { toFormState } from "../exercises/form-state";
import { exercisePageLocals } from "../exercises/exercise-page";
import { authoringEntries } from "./authoring-list";
import { countSubmissions, rerunGrading, rerunHistory } from "./rerun-grading";
import { answerFromText, tryAnswer } from "./try-answer";

const tryBody = z
  .object({
    answerText: z
      .string()
      .max(256 * 1024)
      .optional(),
  })
  .loose();

/** A starting point for the try box: the answer shape's empty answer as JSON, or the starter code. */
function starterText(entry: CourseExercise): string {
  if (isCodeExercise(entry)) return entry.exercise.starterCode ?? "";
  return JSON.stringify(emptyAnswer(entry.exercise.answerShape), null, 2);
}

export function authoringRoutes(ctx: AppContext): Router {
  const router = Router();

  const renderExercisePage = (
    req: Request,
    res: Response,
    entry: CourseExercise,
    view: { tried?: TryView; checked?: LoadIssue[] },
  ) => {
    const { exercise } = entry;
    renderPage(req, res, "instructor/authoring-exercise", {
      title: `Authoring: ${exercise.title}`,
      exercise,
      revealAnswers: true,
      isCode: isCodeExercise(entry),
      tried: view.tried ?? { text: starterText(entry), issues: [] },
      checked: view.checked,
      rubricChanged: ctx.course.changedSinceRegrade.has(exercise.id),
      submissionCount: countSubmissions(ctx.db, exercise.id),
      history: rerunHistory(ctx.db, exercise.id),
    });
  };

  router.get("/authoring", (req, res) => {
    const changed = ctx.course.changedSinceRegrade;
    renderPage(req, res, "instructor/authoring", {
      title: "Authoring",
      entries: authoringEntries(ctx.course).map((e) => ({
        ...e,
        rubricChanged: changed.has(e.folder),
        submissionCount: e.loaded ? countSubmissions(ctx.db, e.folder) : 0,
      })),
      exercisesDir: ctx.course.dirs.exercisesDir,
    });
  });

  router.post("/authoring/reload", async (req, res) => {
    const report = await ctx.course.reload();
    req.log.info({ event: "course_reloaded", ...report }, "course reloaded by an instructor");
    const parts = [
      `${ctx.course.exercises.length - report.kept.length} exercises loaded`,
      report.added.length ? `added: ${report.added.join(", ")}` : "",
      report.removed.length ? `removed: ${report.removed.join(", ")}` : "",
      report.changed.length ? `grading changed: ${report.changed.join(", ")}` : "",
      report.kept.length ? `failed to reload, last good version still served: ${report.kept.join(", ")}` : "",
      report.problems ? `${report.problems} problem${report.problems === 1 ? "" : "s"} (listed below)` : "",
    ].filter(Boolean);
    flash(req, {
      kind: report.problems ? "error" : "success",
      message: `Reloaded the exercise files: ${parts.join("; ")}.`,
    });
    res.redirect(303, "/admin/authoring");
  });

  router.get("/authoring/:id", (req, res) => {
    renderExercisePage(req, res, exerciseFrom(ctx, req), {});
  });

  // The full check of one exercise, as `flagship exercises check` runs it: manifest, links, samples.
  router.post("/authoring/:id/check", async (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const loaded = await loadExerciseFolder(entry.exercise.dir, basename(entry.exercise.dir));
    const issues = [...loaded.issues];
    if (loaded.exercise) {
      issues.push(...(await checkLinks([loaded.exercise], ctx.course.dirs.contentDir)));
      issues.push(...(await checkExerciseSamples(loaded.exercise)));
    }
    renderExercisePage(req, res, entry, { checked: issues });
  });

  router.get("/authoring/:id/preview", (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const { exercise } = entry;
    const values = isCodeExercise(entry)
      ? { code: exercise.starterCode ?? "" }
      : toFormState(entry.exercise.answerShape, emptyAnswer(entry.exercise.answerShape));
    renderPage(req, res, "exercise", {
      ...exercisePageLocals(ctx, entry, { values, issues: [] }, { submissions: [], grade: undefined }),
      title: `Preview: ${exercise.title}`,
      previewAction: `/admin/authoring/${exercise.id}/try`,
    });
  });

  // Grades without recording: from the try box (answerText) or from the preview's form fields.
  router.post("/authoring/:id/try", async (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const parsed = tryBody.safeParse(req.body ?? {});
    const body = (parsed.success ? parsed.data : {}) as Record<string, unknown> & { answerText?: string };
    let text: string;
    let answer: unknown;
    if (typeof body.answerText === "string") {
      text = body.answerText;
      const read = answerFromText(entry, text);
      if (!read.ok) {
        res.status(400);
        return renderExercisePage(req, res, entry, { tried: { text, issues: read.issues } });
      }
      answer = read.answer;
    } else if (isCodeExercise(entry)) {
      answer = { code: typeof body.code === "string" ? body.code : "" };
      text = (answer as { code: string }).code;
    } else {
      answer = coerceFormAnswer(entry.exercise.answerShape, body.answer);
      text = JSON.stringify(answer, null, 2);
    }
    const outcome = await tryAnswer(entry, answer);
    if (!outcome.ok) {
      res.status(400);
      return renderExercisePage(req, res, entry, { tried: { text, issues: outcome.issues } });
    }
    renderExercisePage(req, res, entry, { tried: { text, issues: [], result: outcome.result } });
  });

  router.post("/authoring/:id/rerun-grading", async (req, res) => {
    const entry = exerciseFrom(ctx, req);
    const outcome = await rerunGrading(ctx, entry.exercise.id, currentUser(req).id);
    ctx.course.changedSinceRegrade.delete(entry.exercise.id);
    req.log.info({ event: "exercise_regraded", exerciseId: entry.exercise.id, ...outcome }, "exercise regraded");
    flash(req, {
      kind: "success",
      message:
        outcome.requeued || outcome.pending
          ? `Re-queued ${outcome.requeued} code submission(s) of ${entry.exercise.title} for grading${outcome.pending ? `, and ${outcome.pending} being graded now will be regraded when that finishes` : ""}; each old result stays in force until its new one is recorded, and is kept in the history.`
          : `Regraded ${outcome.regraded} submission(s) of ${entry.exercise.title}; the old results are kept in the history.`,
    });
    res.redirect(303, `/admin/authoring/${entry.exercise.id}`);
  });

  return router;
}
