/**
 * Pure rules of the submission window: when an exercise opens, when it is due for one student (an
 * extension replaces the due date and late-until), and what a submission at a given moment costs.
 */
import { roundPoints } from "../../grader/result";
import type { Deadline, LatePolicy } from "./deadlines";
import type { Extension } from "./extensions";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The deadline as it applies to one student. */
export interface StudentWindow {
  opensAt: string | null;
  dueAt: string;
  lateUntil: string | null;
  latePolicy: LatePolicy;
  penaltyPercent: number;
  extended: boolean;
}

export function studentWindow(deadline: Deadline, extension: Extension | undefined): StudentWindow {
  return {
    opensAt: deadline.opensAt,
    dueAt: extension?.dueAt ?? deadline.dueAt,
    // An extension without its own late-until closes at its new due date rather than the old cutoff.
    lateUntil: extension ? (extension.lateUntil ?? extension.dueAt) : deadline.lateUntil,
    latePolicy: deadline.latePolicy,
    penaltyPercent: deadline.penaltyPercent,
    extended: extension !== undefined,
  };
}

export type SubmitTiming =
  | { ok: true; lateDays: number; latePenalty: number }
  | { ok: false; code: "not_open" | "deadline_passed"; message: string };

export function formatUtc(iso: string): string {
  return `${iso.replace("T", " ").slice(0, 16)} UTC`;
}

/** Whole days late, counting every started day: one minute late is one day. */
export function startedDaysLate(dueAt: string, at: Date): number {
  const late = at.getTime() - Date.parse(dueAt);
  return late <= 0 ? 0 : Math.ceil(late / DAY_MS);
}

/** Points a late submission loses: a percent of the exercise's points per started day, capped at all of them. */
export function latePenaltyPoints(window: StudentWindow, lateDays: number, points: number): number {
  if (lateDays === 0 || window.latePolicy !== "penalty") return 0;
  return roundPoints(Math.min(points, (lateDays * window.penaltyPercent * points) / 100));
}

/** Whether a submission at `at` is accepted, and if late, by how many days and for how many points. */
export function assessTiming(window: StudentWindow, at: Date, points: number): SubmitTiming {
  const now = at.getTime();
  if (window.opensAt && now < Date.parse(window.opensAt)) {
    return {
      ok: false,
      code: "not_open",
      message: `This exercise opens for submissions at ${formatUtc(window.opensAt)}.`,
    };
  }
  const lateDays = startedDaysLate(window.dueAt, at);
  if (lateDays > 0 && window.latePolicy === "no-credit") {
    return {
      ok: false,
      code: "deadline_passed",
      message: `This exercise was due at ${formatUtc(window.dueAt)}; late submissions earn no credit and are not accepted.`,
    };
  }
  if (lateDays > 0 && window.lateUntil && now > Date.parse(window.lateUntil)) {
    return {
      ok: false,
      code: "deadline_passed",
      message: `Late submissions for this exercise closed at ${formatUtc(window.lateUntil)}.`,
    };
  }
  return { ok: true, lateDays, latePenalty: latePenaltyPoints(window, lateDays, points) };
}

/** "−2 points: 1 day late", as the score breakdown shows it. */
export function describePenalty(latePenalty: number, lateDays: number): string {
  return `−${latePenalty} point${latePenalty === 1 ? "" : "s"}: ${lateDays} day${lateDays === 1 ? "" : "s"} late`;
}
