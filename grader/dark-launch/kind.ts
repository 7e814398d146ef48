/**
 * The `dark-launch` exercise kind: the student submits one TypeScript file exporting
 * `quoteRide(req, deps)`, graded by differential testing against the legacy handler in the sandbox.
 * This adapts `gradeDarkLaunch` to the exercise registry in grader/exercises.
 */
import { z } from "zod";
import { exerciseHeaderFields } from "../exercises/header";
import type { PrepareContext, Prepared } from "../exercises/types";
import { defineCodeKind, readCodeFolder, tsFileName, yamlFileName } from "../exercises/code-kind-files";
import { gradeDarkLaunch } from "./grade";
import { darkLaunchRulesSchema, type DarkLaunchRules } from "./rules-schema";

export const darkLaunchManifestSchema = z.strictObject({
  ...exerciseHeaderFields,
  kind: z.literal("dark-launch"),
  /** Generation seed and sizes, tolerance, and each rule's points, words and link (see rules-schema.ts). */
  rules: yamlFileName("rules.yaml"),
  /** The legacy handler plus the flag client: what the student starts from. */
  starter: tsFileName,
  /** A solution that must earn full marks. */
  reference: tsFileName,
});
export type DarkLaunchManifest = z.infer<typeof darkLaunchManifestSchema>;

export interface DarkLaunchBody {
  rules: DarkLaunchRules;
  starter: string;
  reference: string;
}

async function prepare(manifest: DarkLaunchManifest, ctx: PrepareContext): Promise<Prepared<DarkLaunchBody>> {
  const { folder, issues } = await readCodeFolder(manifest, ctx, manifest.rules, darkLaunchRulesSchema, {
    pointsOf: (rules) => rules.rules.reduce((sum, r) => sum + r.points, 0),
    what: "the rules",
  });
  if (!folder) return { issues };
  return {
    body: { rules: folder.data, starter: folder.starter, reference: folder.reference },
    starterCode: folder.starter,
    issues,
  };
}

export const darkLaunchKind = defineCodeKind<DarkLaunchManifest, DarkLaunchBody>({
  kind: "dark-launch",
  description:
    "One TypeScript file (a handler with a feature flag) run in a sandbox and compared with the legacy handler over generated inputs.",
  manifestSchema: darkLaunchManifestSchema,
  prepare,
  gradeSource: (exercise, source) => gradeDarkLaunch({ id: exercise.id, rules: exercise.body.rules }, source),
});
