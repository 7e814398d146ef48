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
 *   2. Add it to `KIND_MODULES` below (one line).
 *   3. Run `npx flagship exercises schema` to regenerate exercises/exercise.schema.json, then
 *      `npx flagship exercises check`.
 */
import type { ExerciseKind } from "./types";

/**
 * Each kind's module, imported when an exercise of that kind is first loaded or graded: a one-off
 * `flagship grade` then loads its own kind's grader and schemas only (some 30 ms of a cold start).
 * The names are the kinds' own `kind` (test/exercises/kinds.test.ts holds them to it).
 */
const KIND_MODULES: Record<string, () => Promise<ExerciseKind>> = {
  structured: async () => (await import("./structured")).structuredKind,
  code: async () => (await import("../code/kind")).codeKind,
  "dark-launch": async () => (await import("../dark-launch/kind")).darkLaunchKind,
  "functional-tests": async () => (await import("../functional-tests/kind")).functionalTestsKind,
  "rollout-simulator": async () => (await import("../rollout-sim/kind")).rolloutSimulatorKind,
  "rollout-policy-code": async () => (await import("../rollout-sim/code-kind")).rolloutPolicyCodeKind,
};

/** Every registered kind's name, in the order the registry lists them. */
export const KIND_NAMES: readonly string[] = Object.keys(KIND_MODULES);

export async function findKind(kind: string): Promise<ExerciseKind | undefined> {
  return Object.hasOwn(KIND_MODULES, kind) ? KIND_MODULES[kind]?.() : undefined;
}

export function allKinds(): Promise<ExerciseKind[]> {
  return Promise.all(KIND_NAMES.map(async (name) => (await findKind(name)) as ExerciseKind));
}
