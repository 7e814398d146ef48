/**
 * The `functional-tests` exercise kind: the student submits one TypeScript file of functional tests
 * for the checkout service, graded by running them in the sandbox against the reference and against
 * mutants. This adapts `gradeFunctionalTests` to the exercise registry in grader/exercises.
 */
import { z } from "zod";
import { exerciseHeaderFields } from "../exercises/header";
import type { PrepareContext, Prepared } from "../exercises/types";
import { defineCodeKind, readCodeFolder, tsFileName, yamlFileName } from "../exercises/code-kind-files";
import { gradeFunctionalTests } from "./grade";
import { functionalTestsOracleSchema, type FunctionalTestsOracle } from "./oracle-schema";

export const functionalTestsManifestSchema = z.strictObject({
  ...exerciseHeaderFields,
  kind: z.literal("functional-tests"),
  /** Reference points and each mutant's behaviour, points, hint and link (see oracle-schema.ts). */
  mutants: yamlFileName("mutants.yaml"),
  /** What the student starts from: one happy-path test. */
  starter: tsFileName,
  /** A test file that must earn full marks (passes against the reference, catches every mutant). */
  reference: tsFileName,
});
export type FunctionalTestsManifest = z.infer<typeof functionalTestsManifestSchema>;

export interface FunctionalTestsBody {
  oracle: FunctionalTestsOracle;
  starter: string;
  reference: string;
}

async function prepare(manifest: FunctionalTestsManifest, ctx: PrepareContext): Promise<Prepared<FunctionalTestsBody>> {
  const { folder, issues } = await readCodeFolder(manifest, ctx, manifest.mutants, functionalTestsOracleSchema, {
    pointsOf: (oracle) => oracle.reference.points + oracle.mutants.reduce((sum, m) => sum + m.points, 0),
    what: "the reference and mutants",
  });
  if (!folder) return { issues };
  return {
    body: { oracle: folder.data, starter: folder.starter, reference: folder.reference },
    starterCode: folder.starter,
    issues,
  };
}

export const functionalTestsKind = defineCodeKind<FunctionalTestsManifest, FunctionalTestsBody>({
  kind: "functional-tests",
  description:
    "One TypeScript file of functional service tests run in a sandbox against the reference service and against mutants.",
  manifestSchema: functionalTestsManifestSchema,
  prepare,
  gradeSource: (exercise, source) => gradeFunctionalTests({ id: exercise.id, oracle: exercise.body.oracle }, source),
});
