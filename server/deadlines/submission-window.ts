/**
 * Whether a student may submit now: their window on an exercise (the deadline with their extension
 * applied), the check submitAnswer runs before recording a submission, the refusal it raises, and the
 * lateness recorded with a late submission.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow } from "../db/query";
import { HttpError } from "../http/errors";
import { getDeadline } from "./deadlines";
import { getExtension } from "./extensions";
import { assessTiming, studentWindow, type StudentWindow } from "./window";

/** Raised when the window is closed; the API answers it as JSON, the page shows it. */
export class SubmissionWindowClosed extends HttpError {
  constructor(code: "not_open" | "deadline_passed", message: string) {
    // Not open yet: forbidden for now (403). Past the cutoff: conflicts with the deadline (409).
    super(code === "not_open" ? 403 : 409, code, message);
  }
}

export function windowFor(db: Db, exerciseId: string, userId: number): StudentWindow | undefined {
  const deadline = getDeadline(db, exerciseId);
  return deadline && studentWindow(deadline, getExtension(db, exerciseId, userId));
}

/**
 * The late_days and late_penalty columns of submissions: written with the row when a late submission
 * is accepted and again whenever staff change the deadline (reassess.ts), read by the exercise and
 * submission pages to show the penalty in the score breakdown.
 */
export interface Lateness {
  lateDays: number;
  latePenalty: number;
}

/** Throws SubmissionWindowClosed when refused; otherwise the lateness to record (zero when on time or no deadline). */
export function checkSubmissionWindow(
  db: Db,
  input: { exerciseId: string; userId: number; points: number; at?: Date },
): Lateness {
  const window = windowFor(db, input.exerciseId, input.userId);
  if (!window) return { lateDays: 0, latePenalty: 0 };
  const timing = assessTiming(window, input.at ?? new Date(), input.points);
  if (!timing.ok) throw new SubmissionWindowClosed(timing.code, timing.message);
  return { lateDays: timing.lateDays, latePenalty: timing.latePenalty };
}

const latenessRow = z.object({ late_days: z.number(), late_penalty: z.number() });

export function latenessOf(db: Db, submissionId: number): Lateness {
  const row = queryRow(db, "SELECT late_days, late_penalty FROM submissions WHERE id = ?", [submissionId], latenessRow);
  return { lateDays: row?.late_days ?? 0, latePenalty: row?.late_penalty ?? 0 };
}
