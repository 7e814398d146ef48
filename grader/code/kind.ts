/**
 * The `code` exercise kind: the student submits one TypeScript file, graded by fault injection in
 * the sandbox. This adapts `gradeCode` to the exercise registry in grader/exercises.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { errorResult, type GradingResult } from "../result";
import { exerciseHeaderFields } from "../exercises/header";
import type { Exercise, ExerciseKind, LoadIssue, PrepareContext } from "../exercises/types";
import { gradeCode } from "./grade";
import { parseOracle } from "./load-exercise";
import type { Oracle } from "./oracle-schema";

const tsFile = z.string().regex(/^[\w./-]+\.ts$/, "expected a TypeScript file name such as solution.ts");

export const codeManifestSchema = z.strictObject({
  ...exerciseHeaderFields,
  kind: z.literal("code"),
  /** The business rules, fixtures and points (see grader/code/oracle-schema.ts). */
  oracle: z.string().regex(/^[\w./-]+\.ya?ml$/, "expected a YAML file name such as oracle.yaml"),
  /** What the student starts from. */
  starter: tsFile,
  /** A solution that must earn full marks. */
  reference: tsFile,
});
export type CodeManifest = z.infer<typeof codeManifestSchema>;

export interface CodeBody {
  oracle: Oracle;
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

async function prepare(manifest: CodeManifest, ctx: PrepareContext) {
  const issues: LoadIssue[] = [];
  const starter = await readText(ctx, manifest.starter, issues);
  const reference = await readText(ctx, manifest.reference, issues);
  const raw = await ctx.readDataFile(manifest.oracle);
  if (!raw.ok) return { issues: [...issues, raw.issue] };
  const oracleFile = join(ctx.dir, manifest.oracle);
  const parsed = parseOracle(raw.data, oracleFile);
  if (!parsed.ok) return { issues: [...issues, { file: oracleFile, path: "(file)", message: parsed.message }] };
  const total = parsed.oracle.rules.reduce((sum, r) => sum + r.points, 0);
  if (Math.abs(total - manifest.points) > 1e-9) issues.push({ file: ctx.manifestPath, path: "points", message: `is ${manifest.points} but the oracle's rules add up to ${total}` });
  const body: CodeBody = { oracle: parsed.oracle, starter, reference };
  return { body, starterCode: starter, issues };
}

async function grade(exercise: Exercise<CodeBody>, answer: unknown): Promise<GradingResult> {
  if (typeof answer !== "string") return errorResult(exercise.points, "A code exercise is answered with the text of one TypeScript file.");
  return gradeCode({ id: exercise.id, oracle: exercise.body.oracle }, answer);
}

export const codeKind: ExerciseKind<CodeManifest, CodeBody> = {
  kind: "code",
  description: "One TypeScript file run in a sandbox and graded by fault injection against business rules.",
  manifestSchema: codeManifestSchema,
  prepare,
  grade,
  referenceAnswer: (exercise) => exercise.body.reference,
};
