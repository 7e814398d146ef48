/**
 * The `rollout-policy-code` exercise kind: policy mode with the policy written in TypeScript, a
 * `plan` and a `decide(view)` function run in the sandbox (code-grade.ts), graded over the same hidden
 * days, by the same rules and words (`grading.yaml`, as for `rollout-simulator`), as a YAML policy.
 */
import { z } from "zod";
import { defineCodeKind, readCodeFolder, tsFileName, yamlFileName } from "../exercises/code-kind-files";
import { exerciseHeaderFields } from "../exercises/header";
import type { PrepareContext, Prepared } from "../exercises/types";
import { gradePolicyCode } from "./code-grade";
import { rolloutGradingSchema, type RolloutGrading } from "./grading-config";

export const rolloutPolicyCodeManifestSchema = z.strictObject({
  ...exerciseHeaderFields,
  kind: z.literal("rollout-policy-code"),
  /** The grading seed, seeds per scenario, limits, and each rule's points, words and lecture link (grading-config.ts). */
  grading: yamlFileName("grading.yaml"),
  /** The module a student starts from. */
  starter: tsFileName,
  /** A policy module that must earn full marks on the exercise's hidden seeds. */
  reference: tsFileName,
});
export type RolloutPolicyCodeManifest = z.infer<typeof rolloutPolicyCodeManifestSchema>;

export interface RolloutPolicyCodeBody {
  grading: RolloutGrading;
  starter: string;
  reference: string;
}

async function prepare(
  manifest: RolloutPolicyCodeManifest,
  ctx: PrepareContext,
): Promise<Prepared<RolloutPolicyCodeBody>> {
  const { folder, issues } = await readCodeFolder(manifest, ctx, manifest.grading, rolloutGradingSchema, {
    pointsOf: (grading) => grading.rules.reduce((sum, r) => sum + r.points, 0),
    what: "the rules",
  });
  if (!folder) return { issues };
  return {
    body: { grading: folder.data, starter: folder.starter, reference: folder.reference },
    starterCode: folder.starter,
    issues,
  };
}

export const rolloutPolicyCodeKind = defineCodeKind({
  kind: "rollout-policy-code",
  description:
    "A rollout policy written in TypeScript (a plan and a decide function, run in the sandbox) over hidden seeds of six simulated ramp days.",
  manifestSchema: rolloutPolicyCodeManifestSchema,
  prepare,
  gradeSource: (exercise, source) => gradePolicyCode(source, exercise.body.grading),
});
