/** A student's standing on each exercise, for the course home, module pages and the exercise list. */
import type { Db } from "../../db/database";
import type { Course, CourseExercise } from "../../course";
import { studentGrade, type ExerciseGrade } from "../../grades";
import { listUserSubmissions, usesAttempt, type Submission } from "../../submissions/submissions";
import { listDraftExerciseIds } from "../../submissions/drafts";

export type StatusKind = "none" | "draft" | "queued" | "partial" | "done" | "error" | "retrying";

export interface ExerciseStatus {
  id: string;
  title: string;
  module: string;
  points: number;
  statusKind: StatusKind;
  statusLabel: string;
  grade?: ExerciseGrade;
  attemptsUsed: number;
  maxAttempts: number;
}

function describe(
  entry: CourseExercise,
  submissions: Submission[],
  hasDraft: boolean,
  grade: ExerciseGrade | undefined,
): ExerciseStatus {
  const { exercise } = entry;
  const attemptsUsed = submissions.filter((s) => usesAttempt(s.status)).length;
  const pending = submissions.some((s) => s.status === "queued" || s.status === "running");
  const base = {
    id: exercise.id,
    title: exercise.title,
    module: exercise.module,
    points: exercise.points,
    attemptsUsed,
    maxAttempts: exercise.maxAttempts,
  };
  if (pending) return { ...base, grade, statusKind: "queued", statusLabel: "Grading…" };
  if (grade) {
    const full = grade.score >= grade.maxScore;
    return { ...base, grade, statusKind: full ? "done" : "partial", statusLabel: `${grade.score} / ${grade.maxScore}` };
  }
  if (submissions.some((s) => s.status === "infrastructure_error"))
    return { ...base, statusKind: "retrying", statusLabel: "Could not be graded, it will be retried" };
  if (submissions.some((s) => s.status === "error"))
    return { ...base, statusKind: "error", statusLabel: "Could not be graded" };
  if (hasDraft) return { ...base, statusKind: "draft", statusLabel: "Draft saved" };
  return { ...base, statusKind: "none", statusLabel: "Not started" };
}

export function exerciseStatuses(db: Db, course: Course, userId: number): Map<string, ExerciseStatus> {
  const all = listUserSubmissions(db, userId);
  const drafts = listDraftExerciseIds(db, userId);
  const out = new Map<string, ExerciseStatus>();
  for (const entry of course.exercises) {
    const id = entry.exercise.id;
    const submissions = all.filter((s) => s.exerciseId === id);
    // No submission, no grade: most rows of a student's list, and their queries, stop here.
    const grade = submissions.length > 0 ? studentGrade(db, course, userId, id) : undefined;
    out.set(id, describe(entry, submissions, drafts.has(id), grade));
  }
  return out;
}
