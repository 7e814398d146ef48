/**
 * The `code` exercise kind: the student submits one TypeScript file, graded by fault injection in
 * the sandbox. This adapts `gradeCode` to the exercise registry in grader/exercises.
 */
import { z } from "zod";
import { exerciseHeaderFields } from "../exercises/header";
import type { PrepareContext, Prepared } from "../exercises/types";
import { gradeCode } from "./grade";
import { oracleSchema, type Oracle } from "./oracle-schema";
import { defineCodeKind, readCodeFolder, tsFileName, yamlFileName } from "../exercises/code-kind-files";

export const codeManifestSchema = z.strictObject({
  ...exerciseHeaderFields,
  kind: z.literal("code"),
  /** The business rules, fixtures and points (see grader/code/oracle-schema.ts). */
  oracle: yamlFileName("oracle.yaml"),
  /** What the student starts from. */
  starter: tsFileName,
  /** A solution that must earn full marks. */
  reference: tsFileName,
});
export type CodeManifest = z.infer<typeof codeManifestSchema>;

export interface CodeBody {
  oracle: Oracle;
  starter: string;
  reference: string;
}

async function prepare(manifest: CodeManifest, ctx: PrepareContext): Promise<Prepared<CodeBody>> {
  const { folder, issues } = await readCodeFolder(manifest, ctx, manifest.oracle, oracleSchema, {
    pointsOf: (oracle) => oracle.rules.reduce((sum, r) => sum + r.points, 0),
    what: "the oracle's rules",
  });
  if (!folder) return { issues };
  return {
    body: { oracle: folder.data, starter: folder.starter, reference: folder.reference },
    starterCode: folder.starter,
    issues,
  };
}

export const codeKind = defineCodeKind<CodeManifest, CodeBody>({
  kind: "code",
  description: "One TypeScript file run in a sandbox and graded by fault injection against business rules.",
  manifestSchema: codeManifestSchema,
  prepare,
  gradeSource: (exercise, source) => gradeCode({ id: exercise.id, oracle: exercise.body.oracle }, source),
});
