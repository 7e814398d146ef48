/**
 * The due date that applies to one student on one exercise: their extension if they have one, else the
 * exercise's deadline. Tables belong to the deadlines feature (exercise_deadlines, deadline_extensions);
 * this reads them only.
 */
import type { Db } from "../db/database";

export interface AppliedDeadline {
  dueAt: string;
  /** True when the student's own extension set it. */
  extended: boolean;
}

export function deadlineFor(db: Db, exerciseId: string, userId: number): AppliedDeadline | undefined {
  const ext = db.prepare("SELECT due_at FROM deadline_extensions WHERE exercise_id = ? AND user_id = ?").pluck().get(exerciseId, userId) as string | undefined;
  if (ext) return { dueAt: ext, extended: true };
  const due = db.prepare("SELECT due_at FROM exercise_deadlines WHERE exercise_id = ?").pluck().get(exerciseId) as string | undefined;
  return due ? { dueAt: due, extended: false } : undefined;
}

/** "2 h 5 min before the deadline" / "1 d 3 h after the deadline", for staff reading a submission. */
export function relativeToDeadline(submittedAt: string, dueAt: string): string {
  const diff = Date.parse(submittedAt) - Date.parse(dueAt);
  if (Number.isNaN(diff)) return "";
  const minutes = Math.round(Math.abs(diff) / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const span = [d ? `${d} d` : "", h ? `${h} h` : "", d ? "" : `${m} min`].filter(Boolean).join(" ");
  return `${span} ${diff <= 0 ? "before" : "after"} the deadline`;
}
