/**
 * What every code-exercise kind reads from its folder: a starter and a reference TypeScript file,
 * and one YAML data file (oracle, rules or mutants) whose points must add up to the manifest's.
 * Written once here so the three kinds report missing files and bad data the same way.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { LoadIssue, PrepareContext } from "../exercises/types";
import { validate } from "../validation";

export const tsFileName = z.string().regex(/^[\w./-]+\.ts$/, "expected a TypeScript file name such as solution.ts");

export function yamlFileName(example: string) {
  return z.string().regex(/^[\w./-]+\.ya?ml$/, `expected a YAML file name such as ${example}`);
}

/** The text of a file in the exercise folder; a missing file becomes an issue and "". */
export async function readSourceFile(ctx: PrepareContext, name: string, issues: LoadIssue[]): Promise<string> {
  try {
    return await readFile(join(ctx.dir, name), "utf8");
  } catch (error) {
    issues.push({ file: join(ctx.dir, name), path: "(file)", message: `cannot read it (${error instanceof Error ? error.message : String(error)})` });
    return "";
  }
}

/** Reads and validates a YAML data file of the folder, reporting problems against that file. */
export async function readDataWith<T>(ctx: PrepareContext, name: string, schema: z.ZodType<T>, issues: LoadIssue[]): Promise<T | undefined> {
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
export function checkPointsTotal(ctx: PrepareContext, declared: number, total: number, what: string, issues: LoadIssue[]): void {
  if (Math.abs(total - declared) > 1e-9) issues.push({ file: ctx.manifestPath, path: "points", message: `is ${declared} but ${what} add up to ${total}` });
}
