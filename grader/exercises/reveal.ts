/**
 * When a student may see the right answers of the rules they failed. Feedback before then says what is
 * wrong in their own answer, with a hint and the lecture link; with several attempts and best-attempt
 * scoring, showing the answer earlier would make the second attempt a copy.
 */
import type { GradingResult } from "../result";

export type RevealSetting = "after-final-attempt" | "always";

export interface RevealFacts {
  setting: RevealSetting;
  /** Attempts the student has left on the exercise. */
  attemptsLeft: number;
  /** True once the student can no longer submit because the deadline (with any extension) has passed. */
  deadlinePassed: boolean;
}

export function answersRevealed(facts: RevealFacts): boolean {
  return facts.setting === "always" || facts.attemptsLeft <= 0 || facts.deadlinePassed;
}

/** The result as a student may see it now: each failing rule's `reveal` kept only when answers are revealed. */
export function resultForStudent(result: GradingResult, revealed: boolean): GradingResult {
  if (revealed) return result;
  return { ...result, tests: result.tests.map(({ reveal: _hidden, ...test }) => test) };
}
