/**
 * The `functional-tests` exercise kind: the student submits one TypeScript file of functional tests
 * for the checkout service, graded by running them in the sandbox against the reference and against
 * mutants. This adapts `gradeFunctionalTests` to the exercise registry in grader/exercises.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { exerciseHeaderFields } from "../exercises/header";
import type { Exercise, ExerciseKind, LoadIssue, PrepareContext, Prepared } from "../exercises/types";
import { errorResult, type GradingResult } from "../result";
import { validate } from "../validation";
import { gradeFunctionalTests } from "./grade";
import { functionalTestsOracleSchema, type FunctionalTestsOracle } from "./oracle-schema";

const tsFile = z.string().regex(/^[\w./-]+\.ts$/, "expected a TypeScript file name such as solution.ts");

export const functionalTestsManifestSchema = z.strictObject({
  ...exerciseHeaderFields,
  kind: z.literal("functional-tests"),
  /** Reference points and each mutant's behaviour, points, hint and link (see oracle-schema.ts). */
  mutants: z.string().regex(/^[\w./-]+\.ya?ml$/, "expected a YAML file name such as mutants.yaml"),
  /** What the student starts from: one happy-path test. */
  starter: tsFile,
  /** A test file that must earn full marks (passes against the reference, catches every mutant). */
  reference: tsFile,
});
export type FunctionalTestsManifest = z.infer<typeof functionalTestsManifestSchema>;

export interface FunctionalTestsBody {
  oracle: FunctionalTestsOracle;
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

async function prepare(manifest: FunctionalTestsManifest, ctx: PrepareContext): Promise<Prepared<FunctionalTestsBody>> {
  const issues: LoadIssue[] = [];
  const starter = await readText(ctx, manifest.starter, issues);
  const reference = await readText(ctx, manifest.reference, issues);
  const raw = await ctx.readDataFile(manifest.mutants);
  if (!raw.ok) return { issues: [...issues, raw.issue] };
  const file = join(ctx.dir, manifest.mutants);
  const parsed = validate(functionalTestsOracleSchema, raw.data);
  if (!parsed.ok) return { issues: [...issues, ...parsed.issues.map((i) => ({ file, path: i.path, message: i.message }))] };
  const total = parsed.data.reference.points + parsed.data.mutants.reduce((sum, m) => sum + m.points, 0);
  if (Math.abs(total - manifest.points) > 1e-9) issues.push({ file: ctx.manifestPath, path: "points", message: `is ${manifest.points} but the reference and mutants add up to ${total}` });
  return { body: { oracle: parsed.data, starter, reference }, starterCode: starter, issues };
}

async function grade(exercise: Exercise<FunctionalTestsBody>, answer: unknown): Promise<GradingResult> {
  if (typeof answer !== "string") return errorResult(exercise.points, "This exercise is answered with the text of one TypeScript file of tests.");
  return gradeFunctionalTests({ id: exercise.id, oracle: exercise.body.oracle }, answer);
}

export const functionalTestsKind: ExerciseKind<FunctionalTestsManifest, FunctionalTestsBody> = {
  kind: "functional-tests",
  description: "One TypeScript file of functional service tests run in a sandbox against the reference service and against mutants.",
  manifestSchema: functionalTestsManifestSchema,
  prepare,
  grade,
  referenceAnswer: (exercise) => exercise.body.reference,
};
