/**
 * Which version of an exercise a job was queued against: a digest of the exercise as loaded (its
 * manifest, rubric or oracle, reference answer). A grader machine compares it with the exercise it
 * loaded from its own disk, so a machine with other files never grades against them.
 */
import { createHash } from "node:crypto";
import type { Exercise } from "../../grader/exercises";

export function exerciseVersion(exercise: Exercise): string {
  return createHash("sha256").update(JSON.stringify(exercise)).digest("hex").slice(0, 16);
}
