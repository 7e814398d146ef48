/**
 * What every code-exercise kind shares: it reads a starter and a reference TypeScript file and one
 * YAML data file (oracle, rules or mutants) whose points must add up to the manifest's, and it is
 * answered with the text of one TypeScript file, the reference being the answer that earns full marks.
 * Written once here so the three kinds report missing files, bad data and bad answers the same way.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Exercise, ExerciseKind, LoadIssue, PrepareContext, Prepared } from "./types";
import { errorResult, type GradingResult } from "../result";
import { validate } from "../validation";

export const tsFileName = z.string().regex(/^[\w./-]+\.ts$/, "expected a TypeScript file name such as solution.ts");

export function yamlFileName(example: string) {
  return z.string().regex(/^[\w./-]+\.ya?ml$/, `expected a YAML file name such as ${example}`);
}

/** The text of a file in the exercise folder; a missing file becomes an issue and "". */
async function readSourceFile(ctx: PrepareContext, name: string, issues: LoadIssue[]): Promise<string> {
  try {
    return await readFile(join(ctx.dir, name), "utf8");
  } catch (error) {
    issues.push({
      file: join(ctx.dir, name),
      path: "(file)",
      message: `cannot read it (${error instanceof Error ? error.message : String(error)})`,
    });
    return "";
  }
}

/** Reads and validates a YAML data file of the folder, reporting problems against that file. */
async function readDataWith<T>(
  ctx: PrepareContext,
  name: string,
  schema: z.ZodType<T>,
  issues: LoadIssue[],
): Promise<T | undefined> {
  const raw = await ctx.readDataFile(name);
  if (!raw.ok) {
    issues.push(raw.issue);
    return undefined;
  }
  const parsed = validate(schema, raw.data);
  if (parsed.ok) return parsed.data;
  const file = join(ctx.dir, name);
  issues.push(...parsed.issues.map((i) => ({ file, path: i.path, message: i.message })));
  return undefined;
}

/** The manifest's `points` must equal what the data file awards, or scores could never add up. */
function checkPointsTotal(
  ctx: PrepareContext,
  declared: number,
  total: number,
  what: string,
  issues: LoadIssue[],
): void {
  if (Math.abs(total - declared) > 1e-9)
    issues.push({ file: ctx.manifestPath, path: "points", message: `is ${declared} but ${what} add up to ${total}` });
}

/** What every code kind reads from its folder: the two source files and its one data file. */
export interface CodeFolder<Data> {
  starter: string;
  reference: string;
  data: Data;
}

/**
 * Reads the starter, the reference and the data file (validated with `schema`), and checks that the
 * points the data awards (`pointsOf`, described as `what`) add up to the manifest's.
 */
export async function readCodeFolder<Data>(
  manifest: { starter: string; reference: string; points: number },
  ctx: PrepareContext,
  dataFile: string,
  schema: z.ZodType<Data>,
  award: { pointsOf: (data: Data) => number; what: string },
): Promise<{ folder?: CodeFolder<Data>; issues: LoadIssue[] }> {
  const issues: LoadIssue[] = [];
  const starter = await readSourceFile(ctx, manifest.starter, issues);
  const reference = await readSourceFile(ctx, manifest.reference, issues);
  const data = await readDataWith(ctx, dataFile, schema, issues);
  if (data === undefined) return { issues };
  checkPointsTotal(ctx, manifest.points, award.pointsOf(data), award.what, issues);
  return { folder: { starter, reference, data }, issues };
}

/** A code kind from its own parts: the answer is checked to be source text, the reference is the full-marks answer. */
export function defineCodeKind<Manifest, Body extends { reference: string }>(spec: {
  kind: string;
  description: string;
  manifestSchema: ExerciseKind<Manifest, Body>["manifestSchema"];
  prepare(manifest: Manifest, ctx: PrepareContext): Promise<Prepared<Body>>;
  gradeSource(exercise: Exercise<Body>, source: string): Promise<GradingResult>;
}): ExerciseKind<Manifest, Body> {
  return {
    kind: spec.kind,
    description: spec.description,
    manifestSchema: spec.manifestSchema,
    prepare: (manifest, ctx) => spec.prepare(manifest, ctx),
    grade: async (exercise, answer) =>
      typeof answer === "string"
        ? spec.gradeSource(exercise, answer)
        : errorResult(exercise.points, "This exercise is answered with the text of one TypeScript file."),
    referenceAnswer: (exercise) => exercise.body.reference,
  };
}
