/**
 * One way to submit an answer, shared by the HTML form and the JSON API: validate against the
 * exercise's answer shape, refuse attempts beyond the limit, record the submission, and grade it.
 * Structured answers are graded at once (microseconds); code goes to the grading queue.
 */
import { z } from "zod";
import type { AppContext } from "../../context";
import { isCodeExercise, type CourseExercise } from "../../course";
import { HttpError } from "../../http/errors";
import { answerSchemaFor, gradeAnswer, validate, type FieldIssue } from "../../../grader/exercises";
import { AttemptLimitError, createSubmission, recordResult } from "../../submissions/submissions";
import { checkSubmissionWindow } from "../../deadlines/submission-window";
import { codeSubmitLimiter } from "../../submissions/code-rate-limit";

/** Largest code file accepted; bigger uploads are refused before they reach the grader. */
export const MAX_CODE_BYTES = 64 * 1024;

export const codeAnswerSchema = z.object({
  code: z
    .string({ error: "expected the code as text" })
    .refine((code) => code.trim() !== "", "is empty: paste or write your solution")
    .refine((code) => Buffer.byteLength(code, "utf8") <= MAX_CODE_BYTES, `is larger than ${MAX_CODE_BYTES / 1024} KB`),
});

export type SubmitResult = { ok: true; submissionId: number } | { ok: false; issues: FieldIssue[] };

export async function submitAnswer(
  ctx: AppContext,
  userId: number,
  entry: CourseExercise,
  answer: unknown,
): Promise<SubmitResult> {
  const { exercise } = entry;
  const code = isCodeExercise(entry);
  const checked = code
    ? validate(codeAnswerSchema, answer)
    : validate(answerSchemaFor(entry.exercise.answerShape), answer);
  if (!checked.ok) return { ok: false, issues: checked.issues };
  if (code && !ctx.queue) throw new HttpError(503, "grader_unavailable", "Code grading is not running on this server.");
  // Refuses outside the exercise's window (SubmissionWindowClosed); a late one is accepted with its penalty.
  const lateness = checkSubmissionWindow(ctx.db, { exerciseId: exercise.id, userId, points: exercise.points });

  // Checked and recorded with no await in between, so a burst cannot slip past the limit.
  const limiter = code ? codeSubmitLimiter(ctx.config) : undefined;
  const now = Date.now();
  const waitMs = limiter?.waitMs(userId, now) ?? 0;
  if (limiter && waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw new HttpError(
      429,
      "too_many_submissions",
      `You sent ${limiter.max} code submissions in the last ${Math.round(limiter.windowMs / 1000)} seconds; wait ${seconds} s before sending another.`,
      [],
      { "Retry-After": String(seconds) },
    );
  }

  let submissionId: number;
  try {
    submissionId = createSubmission(ctx.db, {
      userId,
      exerciseId: exercise.id,
      answer: checked.data,
      status: code ? "queued" : "running",
      maxAttempts: exercise.maxAttempts,
      supersedeQueued: code,
      lateness,
    });
  } catch (err) {
    if (err instanceof AttemptLimitError) throw new HttpError(409, "attempts_exhausted", err.message);
    throw err;
  }
  if (code) {
    limiter?.record(userId, now);
    ctx.queue?.notify();
  } else {
    recordResult(ctx.db, submissionId, await gradeAnswer(exercise, checked.data));
  }
  return { ok: true, submissionId };
}
