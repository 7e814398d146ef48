/** What a queue worker does with a job: find the exercise and grade the stored answer with its kind. */
import { isCodeExercise, type Course } from "../course";
import { gradeAnswer } from "../../grader/exercises";
import { errorResult } from "../../grader/result";
import type { GradeJob } from "./local-queue";

export function gradeJobFor(course: Course): GradeJob {
  return async (job) => {
    const entry = course.exerciseById(job.exerciseId);
    if (!entry) return errorResult(0, `The exercise "${job.exerciseId}" is no longer part of the course.`);
    // Code answers are stored as { code } so the row stays an object; the code kind grades the text.
    const answer = isCodeExercise(entry) ? (job.answer as { code?: unknown }).code : job.answer;
    return gradeAnswer(entry.exercise, answer);
  };
}
