/** Whether one student sees the right answers on one exercise now (grader/exercises/reveal.ts decides). */
import type { Db } from "../../db/database";
import type { Exercise } from "../../../grader/exercises";
import { answersRevealed } from "../../../grader/exercises/reveal";
import { windowFor } from "../../deadlines/submission-window";
import { assessTiming } from "../../deadlines/window";
import { countAttempts } from "../../submissions/submissions";

export function answersRevealedFor(db: Db, exercise: Exercise, userId: number, now = new Date()): boolean {
  const window = windowFor(db, exercise.id, userId);
  const timing = window ? assessTiming(window, now, exercise.points) : undefined;
  return answersRevealed({
    setting: exercise.revealAnswers,
    attemptsLeft: exercise.maxAttempts - countAttempts(db, userId, exercise.id),
    deadlinePassed: timing !== undefined && !timing.ok && timing.code === "deadline_passed",
  });
}
