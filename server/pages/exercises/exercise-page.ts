/**
 * The locals of the exercise page (views/exercise.ejs), built in one place for the student's page and
 * the instructor's preview (server/pages/instructor/authoring.ts), so both give the view all it reads.
 */
import type { AppContext } from "../../context";
import { isCodeExercise, type CourseExercise } from "../../course";
import type { FieldIssue } from "../../../grader/exercises";
import type { ExerciseGrade } from "../../grades";
import type { Submission } from "../../submissions/submissions";
import type { FormGroup } from "./form-state";

export interface FormView {
  values: FormGroup | { code: string };
  issues: FieldIssue[];
}

/** The student's own attempts and grade; none in a preview. */
export interface Standing {
  submissions: Submission[];
  grade: ExerciseGrade | undefined;
}

export function exercisePageLocals(ctx: AppContext, entry: CourseExercise, form: FormView, standing: Standing): Record<string, unknown> {
  const { exercise } = entry;
  const attemptsUsed = standing.submissions.filter((s) => s.status !== "superseded").length;
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
    queue: ctx.queue,
  };
}
