/**
 * The locals of the exercise page (views/exercise.ejs), built in one place for the student's page and
 * the instructor's preview (server/pages/instructor/authoring.ts), so both give the view all it reads.
 */
import type { AppContext } from "../../context";
import { isCodeExercise, type CourseExercise } from "../../course";
import type { FieldIssue } from "../../../grader/exercises";
import type { ExerciseGrade } from "../../grades";
import { usesAttempt, type Submission } from "../../submissions/submissions";
import { attemptScores } from "../../grades";
import type { ScoreView } from "../../grades/score-view";
import type { FormGroup } from "./form-state";
import type { PageModels } from "../../http/page-models";

export interface FormView {
  values: FormGroup | { code: string };
  issues: FieldIssue[];
}

/** The student's own attempts and grade; none in a preview. */
export interface Standing {
  userId?: number;
  submissions: Submission[];
  grade: ExerciseGrade | undefined;
}

/** How a student reads each submission status; the ones that are not attempts say so. */
export const submissionStatusLabels: Record<Submission["status"], string> = {
  queued: "Queued",
  running: "Grading",
  graded: "Graded",
  error: "Could not be graded",
  compile_error: "Did not compile (not an attempt)",
  infrastructure_error: "Could not be graded, it will be retried (not an attempt)",
  superseded: "Replaced before grading (not an attempt)",
};

export function exercisePageLocals(
  ctx: AppContext,
  entry: CourseExercise,
  form: FormView,
  standing: Standing,
): PageModels["exercise"] {
  const { exercise } = entry;
  const attemptsUsed = standing.submissions.filter((s) => usesAttempt(s.status)).length;
  return {
    title: exercise.title,
    entry,
    exercise,
    module: ctx.course.moduleById(exercise.module),
    isCode: isCodeExercise(entry),
    form,
    issueMap: Object.fromEntries(form.issues.map((i) => [i.path, i.message])),
    submissions: standing.submissions,
    attemptsUsed,
    attemptsLeft: Math.max(0, exercise.maxAttempts - attemptsUsed),
    grade: standing.grade,
    // Every attempt's score as the student sees it, by submission id (the attempts table).
    scores:
      standing.userId === undefined
        ? new Map<number, ScoreView>()
        : attemptScores(ctx.db, ctx.course, standing.userId, exercise.id, "student"),
    statusLabels: submissionStatusLabels,
    queue: ctx.queue,
  };
}
