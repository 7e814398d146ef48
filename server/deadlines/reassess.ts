/**
 * Late penalties follow the deadline as it stands. A penalty is written with the submission, so when
 * staff move a deadline, remove it, or grant or revoke an extension, the submissions it covers are
 * assessed again from the moment each was made: an extension granted after the fact lifts the
 * penalty, as the submission page's "submitted before the deadline" already says. Submissions stay
 * accepted whatever the new window says; only their late days and penalty change.
 */
import type { Db } from "../db/database";
import { windowFor } from "./student-window";
import { latePenaltyPoints, startedDaysLate } from "./window";

interface Row {
  id: number;
  user_id: number;
  created_at: string;
  late_days: number;
  late_penalty: number;
}

/** Reassesses one exercise's submissions (one student's when `userId` is given); returns how many changed. */
export function reassessLateness(db: Db, input: { exerciseId: string; points: number; userId?: number }): number {
  const rows = (
    input.userId === undefined
      ? db.prepare("SELECT id, user_id, created_at, late_days, late_penalty FROM submissions WHERE exercise_id = ?").all(input.exerciseId)
      : db.prepare("SELECT id, user_id, created_at, late_days, late_penalty FROM submissions WHERE exercise_id = ? AND user_id = ?").all(input.exerciseId, input.userId)
  ) as Row[];
  const update = db.prepare("UPDATE submissions SET late_days = ?, late_penalty = ? WHERE id = ?");
  let changed = 0;
  db.transaction(() => {
    for (const row of rows) {
      const window = windowFor(db, input.exerciseId, row.user_id);
      const lateDays = window ? startedDaysLate(window.dueAt, new Date(row.created_at)) : 0;
      const latePenalty = window ? latePenaltyPoints(window, lateDays, input.points) : 0;
      if (lateDays === row.late_days && latePenalty === row.late_penalty) continue;
      update.run(lateDays, latePenalty, row.id);
      changed++;
    }
  })();
  return changed;
}
