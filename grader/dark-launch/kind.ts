/**
 * The `dark-launch` exercise kind: the student submits one TypeScript file exporting
 * `quoteRide(req, deps)`, graded by differential testing against the legacy handler in the sandbox.
 * This adapts `gradeDarkLaunch` to the exercise registry in grader/exercises.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { exerciseHeaderFields } from "../exercises/header";
import type { Exercise, ExerciseKind, LoadIssue, PrepareContext, Prepared } from "../exercises/types";
import { errorResult, type GradingResult } from "../result";
import { validate } from "../validation";
import { gradeDarkLaunch } from "./grade";
import { darkLaunchRulesSchema, type DarkLaunchRules } from "./rules-schema";

const tsFile = z.string().regex(/^[\w./-]+\.ts$/, "expected a TypeScript file name such as solution.ts");

export const darkLaunchManifestSchema = z.strictObject({
  ...exerciseHeaderFields,
  kind: z.literal("dark-launch"),
  /** Generation seed and sizes, tolerance, and each rule's points, words and link (see rules-schema.ts). */
  rules: z.string().regex(/^[\w./-]+\.ya?ml$/, "expected a YAML file name such as rules.yaml"),
  /** The legacy handler plus the flag client: what the student starts from. */
  starter: tsFile,
  /** A solution that must earn full marks. */
  reference: tsFile,
});
export type DarkLaunchManifest = z.infer<typeof darkLaunchManifestSchema>;

export interface DarkLaunchBody {
  rules: DarkLaunchRules;
  starter: string;
  reference: string;
}

async function readText(ctx: PrepareContext, name: string, issues: LoadIssue[]): Promise<string> {
  try {
    return await readFile(join(ctx.dir, name), "utf8");
  } catch (error) {
    issues.push({ file: join(ctx.dir, name), path: "(file)", message: `cannot read it (${error instanceof Error ? error.message : String(error)})` });
    return "";
  }
}

async function prepare(manifest: DarkLaunchManifest, ctx: PrepareContext): Promise<Prepared<DarkLaunchBody>> {
  const issues: LoadIssue[] = [];
  const starter = await readText(ctx, manifest.starter, issues);
  const reference = await readText(ctx, manifest.reference, issues);
  const raw = await ctx.readDataFile(manifest.rules);
  if (!raw.ok) return { issues: [...issues, raw.issue] };
  const rulesFile = join(ctx.dir, manifest.rules);
  const parsed = validate(darkLaunchRulesSchema, raw.data);
  if (!parsed.ok) return { issues: [...issues, ...parsed.issues.map((i) => ({ file: rulesFile, path: i.path, message: i.message }))] };
  const total = parsed.data.rules.reduce((sum, r) => sum + r.points, 0);
  if (Math.abs(total - manifest.points) > 1e-9) issues.push({ file: ctx.manifestPath, path: "points", message: `is ${manifest.points} but the rules add up to ${total}` });
  return { body: { rules: parsed.data, starter, reference }, starterCode: starter, issues };
}

async function grade(exercise: Exercise<DarkLaunchBody>, answer: unknown): Promise<GradingResult> {
  if (typeof answer !== "string") return errorResult(exercise.points, "This exercise is answered with the text of one TypeScript file.");
  return gradeDarkLaunch({ id: exercise.id, rules: exercise.body.rules }, answer);
}

export const darkLaunchKind: ExerciseKind<DarkLaunchManifest, DarkLaunchBody> = {
  kind: "dark-launch",
  description: "One TypeScript file (a handler with a feature flag) run in a sandbox and compared with the legacy handler over generated inputs.",
  manifestSchema: darkLaunchManifestSchema,
  prepare,
  grade,
  referenceAnswer: (exercise) => exercise.body.reference,
};
