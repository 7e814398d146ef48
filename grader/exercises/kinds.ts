/**
 * The kind registry: which grader handles an exercise, chosen by the manifest's `kind`.
 *
 * To add a kind (for example `code`):
 *   1. Write `grader/<area>/kind.ts` exporting an `ExerciseKind<Manifest, Body>` (see ./types.ts):
 *      - `manifestSchema`: `z.strictObject({ ...exerciseHeaderFields, kind: z.literal("code"), ...yourFields })`
 *        (import `exerciseHeaderFields` from ./header), so the common header stays the same everywhere;
 *      - `prepare(manifest, ctx)`: load the files your manifest names (ctx.readDataFile, or node:fs with
 *        ctx.dir), check cross-references, and return `{ body, issues }` (no answerShape if the answer
 *        is not a form);
 *      - `grade(exercise, answer)`: return a GradingResult built with `finishResult` from ../result;
 *      - `referenceAnswer(exercise)`: an answer that must earn full marks.
 *   2. Add it to `KINDS` below (one line).
 *   3. Run `npx flagship exercises schema` to regenerate exercises/exercise.schema.json, then
 *      `npx flagship exercises check`.
 */
import { codeKind } from "../code/kind";
import { darkLaunchKind } from "../dark-launch/kind";
import { functionalTestsKind } from "../functional-tests/kind";
import { rolloutPolicyCodeKind } from "../rollout-sim/code-kind";
import { rolloutSimulatorKind } from "../rollout-sim/kind";
import { structuredKind } from "./structured";
import type { ExerciseKind } from "./types";

const KINDS: ExerciseKind[] = [
  structuredKind,
  codeKind,
  darkLaunchKind,
  functionalTestsKind,
  rolloutSimulatorKind,
  rolloutPolicyCodeKind,
];

const byName = new Map(KINDS.map((k) => [k.kind, k]));

export function findKind(kind: string): ExerciseKind | undefined {
  return byName.get(kind);
}

export function allKinds(): readonly ExerciseKind[] {
  return KINDS;
}
