/** The deadline check submitAnswer runs before recording a submission. */
import type { Db } from "../db/database";
import { SubmissionWindowClosed } from "./refusal";
import { windowFor } from "./student-window";
import { assessTiming } from "./window";
import type { Lateness } from "./lateness";

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
