/**
 * Gives every page rendered for a signed-in user two lookups, so the exercise page, the submission
 * page and the course home can show deadlines and late penalties through small partials
 * (views/deadlines/*) without each route loading them.
 */
import type { RequestHandler } from "express";
import type { Db } from "../db/database";
import { latenessOf, windowFor } from "./submission-window";
import { describePenalty, formatUtc, type StudentWindow } from "./window";

export interface DeadlineNotice {
  opens: string | null;
  due: string;
  lateUntil: string | null;
  policy: string;
  extended: boolean;
  state: "not-open" | "open" | "late" | "closed";
  stateLabel: string;
}

export function describeWindow(window: StudentWindow, now = new Date()): DeadlineNotice {
  const t = now.getTime();
  // Said as the submit check (assessTiming) enforces it: an extension without a late-until of its own
  // ends at its due date, so it must not promise penalised late work.
  const noLateWork = window.latePolicy === "penalty" && window.lateUntil !== null && window.lateUntil === window.dueAt;
  const policy =
    window.latePolicy === "no-credit"
      ? "No credit after the due date."
      : noLateWork
        ? window.extended
          ? "Your extension ends at its due date: work submitted after it is not accepted."
          : "Work submitted after the due date is not accepted."
        : `Late work loses ${window.penaltyPercent}% of the points per started day late.`;
  let state: DeadlineNotice["state"] = "open";
  if (window.opensAt && t < Date.parse(window.opensAt)) state = "not-open";
  else if (t > Date.parse(window.dueAt)) {
    const closedAt = window.latePolicy === "no-credit" ? window.dueAt : window.lateUntil;
    state = closedAt && t > Date.parse(closedAt) ? "closed" : "late";
  }
  const stateLabel = { "not-open": "Not open yet", open: "Open", late: "Late: penalty applies", closed: "Closed" }[
    state
  ];
  return {
    opens: window.opensAt && formatUtc(window.opensAt),
    due: formatUtc(window.dueAt),
    lateUntil: window.latePolicy === "penalty" && window.lateUntil && !noLateWork ? formatUtc(window.lateUntil) : null,
    policy,
    extended: window.extended,
    state,
    stateLabel,
  };
}

export function deadlineLocals(db: Db): RequestHandler {
  return (req, res, next) => {
    const user = req.user;
    if (user) {
      res.locals.deadlineFor = (exerciseId: string): DeadlineNotice | undefined => {
        const window = windowFor(db, exerciseId, user.id);
        return window && describeWindow(window);
      };
      res.locals.penaltyNote = (submissionId: number): string | undefined => {
        const lateness = latenessOf(db, submissionId);
        return lateness.lateDays > 0 ? describePenalty(lateness.latePenalty, lateness.lateDays) : undefined;
      };
    }
    next();
  };
}
