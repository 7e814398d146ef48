/**
 * The `rollout-simulator` exercise kind (policy mode): the student submits a rollout policy as YAML
 * (policy-schema.ts), graded by running it over the hidden seeds of every scenario with the grading
 * data of the exercise folder (`grading.yaml`: the grading seed, the limits and each rule's words).
 * The interactive mode (server/pages/simulator/) runs on the same simulation and scores a run on the
 * same dimensions (interactive.ts).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { yamlFileName } from "../exercises/code-kind-files";
import { exerciseHeaderFields } from "../exercises/header";
import type { Exercise, ExerciseKind, LoadIssue, PrepareContext, Prepared } from "../exercises/types";
import { errorResult, type GradingResult } from "../result";
import { validate } from "../validation";
import { gradePolicyText } from "./grade";
import { rolloutGradingSchema, type RolloutGrading } from "./grading-config";
import { parsePolicyText } from "./policy-schema";

export const rolloutSimulatorManifestSchema = z.strictObject({
  ...exerciseHeaderFields,
  kind: z.literal("rollout-simulator"),
  /** The grading seed, seeds per scenario, limits, and each rule's points, words and lecture link (grading-config.ts). */
  grading: yamlFileName("grading.yaml"),
  /** The policy a student starts from (YAML text shown in the editor); it must parse. */
  starter: yamlFileName("starter.yaml"),
  /** A policy that must earn full marks on the exercise's hidden seeds. */
  reference: yamlFileName("reference.yaml"),
});
export type RolloutSimulatorManifest = z.infer<typeof rolloutSimulatorManifestSchema>;

export interface RolloutSimulatorBody {
  grading: RolloutGrading;
  starter: string;
  reference: string;
}

async function readText(ctx: PrepareContext, name: string, issues: LoadIssue[]): Promise<string | undefined> {
  try {
    return await readFile(join(ctx.dir, name), "utf8");
  } catch (error) {
    issues.push({
      file: join(ctx.dir, name),
      path: "(file)",
      message: `cannot read it (${error instanceof Error ? error.message : String(error)})`,
    });
    return undefined;
  }
}

/** A policy file of the folder must be one a student could submit: every problem is reported against that file. */
function checkPolicyFile(ctx: PrepareContext, name: string, text: string, issues: LoadIssue[]): void {
  const parsed = parsePolicyText(text, "yaml");
  if (!parsed.ok)
    issues.push(...parsed.issues.map((i) => ({ file: join(ctx.dir, name), path: i.path, message: i.message })));
}

async function prepare(
  manifest: RolloutSimulatorManifest,
  ctx: PrepareContext,
): Promise<Prepared<RolloutSimulatorBody>> {
  const issues: LoadIssue[] = [];
  const raw = await ctx.readDataFile(manifest.grading);
  let grading: RolloutGrading | undefined;
  if (!raw.ok) issues.push(raw.issue);
  else {
    const parsed = validate(rolloutGradingSchema, raw.data);
    if (parsed.ok) grading = parsed.data;
    else
      issues.push(
        ...parsed.issues.map((i) => ({ file: join(ctx.dir, manifest.grading), path: i.path, message: i.message })),
      );
  }
  const starter = await readText(ctx, manifest.starter, issues);
  const reference = await readText(ctx, manifest.reference, issues);
  if (starter !== undefined) checkPolicyFile(ctx, manifest.starter, starter, issues);
  if (reference !== undefined) checkPolicyFile(ctx, manifest.reference, reference, issues);
  if (grading) {
    const total = grading.rules.reduce((sum, r) => sum + r.points, 0);
    if (Math.abs(total - manifest.points) > 1e-9)
      issues.push({
        file: ctx.manifestPath,
        path: "points",
        message: `is ${manifest.points} but the rules of ${manifest.grading} add up to ${total}`,
      });
  }
  if (!grading || starter === undefined || reference === undefined) return { issues };
  return { body: { grading, starter, reference }, starterCode: starter, answerLanguage: "yaml", issues };
}

export const rolloutSimulatorKind: ExerciseKind<RolloutSimulatorManifest, RolloutSimulatorBody> = {
  kind: "rollout-simulator",
  description:
    "A rollout policy (YAML: ramp steps, bake time, watched metrics and decision rules) run over hidden seeds of six simulated ramp days.",
  manifestSchema: rolloutSimulatorManifestSchema,
  prepare,
  // Policy mode: the answer is the text the student typed, as the server stores a code answer's text.
  grade: async (exercise: Exercise<RolloutSimulatorBody>, answer: unknown): Promise<GradingResult> =>
    typeof answer === "string"
      ? gradePolicyText(answer, "yaml", exercise.body.grading)
      : errorResult(exercise.points, "This exercise is answered with a rollout policy written in YAML."),
  referenceAnswer: (exercise) => exercise.body.reference,
};
