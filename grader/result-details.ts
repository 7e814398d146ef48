/**
 * What each kind puts in `GradingResult.details`, as zod schemas: the code graders write these shapes,
 * and the result page and the analytics read them through `readResultDetails` instead of guessing
 * (`Array.isArray(details.ramp)`). Details are never used for scoring; a part that does not parse is
 * left out of the page rather than failing it, since stored results may come from an older grader.
 */
import { z } from "zod";
import { jsonValue as jsonValueSchema, type JsonValue } from "./result";

/** code: one table per fixture, one row per execution (grader/code/fault-table.ts). */
export const faultTableSchema = z.object({
  fixture: z.string(),
  executions: z.number(),
  columns: z.array(z.string()),
  rows: z.array(
    z.object({
      n: z.number(),
      /** Per column: "ok", the injected fault kind, "rejected", "-" (not called), or "kind×2, then ok". */
      cells: z.array(z.string()),
      /** Ids of the rules this execution failed. */
      failing: z.array(z.string()),
      settled: z.string(),
      /** The counterexample, on failing rows only. */
      detail: jsonValueSchema.optional(),
    }),
  ),
  omittedRows: z.number(),
});
export type FaultTable = z.infer<typeof faultTableSchema>;

/** dark-launch: riders offered priority at each ramp percentage. */
export const rampRowSchema = z.object({ percent: z.number(), riders: z.number(), offered: z.number() });
export type RampRow = z.infer<typeof rampRowSchema>;

/** functional-tests: the student's tests against the correct service, and the mutants they caught. */
export const suiteTestSchema = z.object({
  name: z.string(),
  status: z.enum(["pass", "fail"]),
  failure: z.string().optional(),
  assertions: z.number(),
  checkouts: z.number(),
  caught: z.array(z.string()),
});
export const mutantSchema = z.object({ id: z.string(), behaviour: z.string(), caught: z.boolean() });

/** rollout-simulator: what the policy did on each hidden day (grader/rollout-sim/grade.ts). */
export const rolloutRunSchema = z.object({
  scenario: z.string(),
  seed: z.number(),
  end: z.enum(["rolled-back", "completed", "unfinished"]),
  endMinute: z.number().nullable(),
  rollbackPercent: z.number().nullable(),
  caught: z.boolean(),
  falseRollback: z.boolean(),
  harm: z.number(),
  reachedFullAt: z.number().nullable(),
  trigger: z.object({ metric: z.string(), group: z.string(), rule: z.string(), evidence: z.string() }).nullable(),
});

/** Any code kind whose source did not compile (grader/sandbox/start.ts). */
export const compileErrorDetailsSchema = z.object({ compileErrors: z.array(z.string()) });

/** The `details` each kind writes. Structured kinds write none. */
export const detailsSchemaByKind = {
  code: z.union([
    z.object({
      sandbox: z.string(),
      hostsLeased: z.number(),
      skippedByReduction: z.number().optional(),
      faultSpace: z.array(faultTableSchema),
    }),
    compileErrorDetailsSchema,
  ]),
  "dark-launch": z.union([
    z.object({ sandbox: z.string(), generatedInputs: z.number().optional(), ramp: z.array(rampRowSchema).optional() }),
    compileErrorDetailsSchema,
  ]),
  "functional-tests": z.union([
    z.object({
      sandbox: z.string(),
      tests: z.array(suiteTestSchema).optional(),
      mutants: z.array(mutantSchema).optional(),
      mutantsCaught: z.number().optional(),
      mutantsTotal: z.number().optional(),
    }),
    compileErrorDetailsSchema,
  ]),
  "rollout-simulator": z.union([
    z.object({ seed: z.number(), seedsPerScenario: z.number(), runs: z.array(rolloutRunSchema) }),
    compileErrorDetailsSchema,
  ]),
  /** The same runs, plus the sandbox's figures (grader/rollout-sim/code-grade.ts); only those when a day failed. */
  "rollout-policy-code": z.union([
    z.object({
      seed: z.number(),
      seedsPerScenario: z.number(),
      runs: z.array(rolloutRunSchema),
      sandbox: z.string(),
      work: z.number(),
      looks: z.number(),
    }),
    z.object({ sandbox: z.string(), work: z.number(), looks: z.number() }),
    compileErrorDetailsSchema,
  ]),
} as const;

/** What the result page and the analytics show of a result's details: every part there is, typed. */
export interface ResultDetails {
  compileErrors: string[];
  faultSpace: FaultTable[];
  ramp: RampRow[];
  suite:
    | {
        tests: z.infer<typeof suiteTestSchema>[];
        mutants: z.infer<typeof mutantSchema>[];
        mutantsCaught: number;
        mutantsTotal: number;
      }
    | undefined;
}

function part<T>(schema: z.ZodType<T>, value: unknown, fallback: T): T {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

/** Reads the details of any result, whatever kind wrote it (or none). */
export function readResultDetails(details: JsonValue | undefined): ResultDetails {
  const record = details !== null && typeof details === "object" && !Array.isArray(details) ? details : {};
  const tests = part(z.array(suiteTestSchema), record["tests"], []);
  const mutants = part(z.array(mutantSchema), record["mutants"], []);
  return {
    compileErrors: part(z.array(z.string()), record["compileErrors"], []),
    faultSpace: part(z.array(faultTableSchema), record["faultSpace"], []),
    ramp: part(z.array(rampRowSchema), record["ramp"], []),
    suite:
      tests.length > 0
        ? {
            tests,
            mutants,
            mutantsCaught: part(z.number(), record["mutantsCaught"], 0),
            mutantsTotal: part(z.number(), record["mutantsTotal"], mutants.length),
          }
        : undefined,
  };
}
