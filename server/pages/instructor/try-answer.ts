/**
 * "Try an answer": grades a pasted answer (JSON or YAML for structured exercises, code for code
 * exercises) with the grader directly, never touching the submissions table or the queue.
 */
import { isCodeExercise, type CourseExercise } from "../../course";
import { answerSchemaFor, gradeAnswer, parseDataText, validate, type FieldIssue } from "../../../grader/exercises";
import type { GradingResult } from "../../../grader/result";
import { codeAnswerSchema } from "../exercises/submit";

export type TryOutcome = { ok: true; result: GradingResult } | { ok: false; issues: FieldIssue[] };

/** Text typed into the try box: code as-is, or a structured answer in JSON or YAML. */
export function answerFromText(
  entry: CourseExercise,
  text: string,
): { ok: true; answer: unknown } | { ok: false; issues: FieldIssue[] } {
  if (isCodeExercise(entry)) return { ok: true, answer: { code: text } };
  // JSON is YAML, so one parser reads both and reports line and column.
  const parsed = parseDataText(text, "answer.yaml");
  if (!parsed.ok) return { ok: false, issues: [{ path: "answer", message: parsed.issue.message }] };
  return { ok: true, answer: parsed.data };
}

export async function tryAnswer(entry: CourseExercise, answer: unknown): Promise<TryOutcome> {
  const { exercise } = entry;
  if (isCodeExercise(entry)) {
    const checked = validate(codeAnswerSchema, answer);
    if (!checked.ok) return { ok: false, issues: checked.issues };
    // The code kind grades the source text, as the queue's job does.
    return { ok: true, result: await gradeAnswer(exercise, checked.data.code) };
  }
  const checked = validate(answerSchemaFor(entry.exercise.answerShape), answer);
  if (!checked.ok) return { ok: false, issues: checked.issues };
  return { ok: true, result: await gradeAnswer(exercise, checked.data) };
}
