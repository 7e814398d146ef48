/**
 * The due date that applies to one student on one exercise, as staff see it beside a submission: the
 * student's window from the deadlines feature (their extension if they have one, else the exercise's
 * deadline).
 */
import type { Db } from "../db/database";
import { windowFor } from "../deadlines/submission-window";

export interface AppliedDeadline {
  dueAt: string;
  /** True when the student's own extension set it. */
  extended: boolean;
}

export function deadlineFor(db: Db, exerciseId: string, userId: number): AppliedDeadline | undefined {
  const window = windowFor(db, exerciseId, userId);
  return window && { dueAt: window.dueAt, extended: window.extended };
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
