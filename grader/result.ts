/**
 * The one shape of a grading result, used by every grader in the product (rubric rules, the
 * fault-injection explorer, later graders), by the CLI's --json output, the JSON API, the database
 * and the pages. Anything that produces or consumes a grade goes through these types.
 *
 * A result that evaluated nothing is an error, never a pass: use `finishResult`, which enforces it.
 */
import { z } from "zod";

export const testStatusSchema = z.enum(["pass", "fail"]);

/** JSON-safe data attached to a failing test so a student can replay and understand it. */
export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const testResultSchema = z.object({
  /** Stable id of the rule or business rule (e.g. "dark-first-deploy", "email-soft"). */
  id: z.string().min(1),
  name: z.string().min(1),
  status: testStatusSchema,
  points: z.number().min(0),
  maxPoints: z.number().min(0),
  /** What passed or what was missed, in words a student understands. */
  message: z.string(),
  hint: z.string().optional(),
  /**
   * The right answer, for a failing rule. Stored with the result but shown to the student only once
   * answers are revealed for them (see `revealFor` in grader/exercises/reveal.ts); staff always see it.
   */
  reveal: z.string().optional(),
  /** Link to the lecture section that teaches the rule, e.g. "/modules/dark-launches#incremental-ramp". */
  link: z.string().optional(),
  /** Code graders: the smallest input that shows the failure, replayable as one execution. */
  counterexample: jsonValue.optional(),
});
export type TestResult = z.infer<typeof testResultSchema>;

/**
 * What became of a grading:
 *  - `graded`: a score was given; it counts as an attempt.
 *  - `error`: the submission itself could not be graded (for example code that retries forever, so its
 *    fault space has no end); no score, but it counts as an attempt, since it is the code's doing.
 *  - `compile_error`: the code did not compile (syntax error, forbidden import). Feedback, not an attempt.
 *  - `infrastructure_error`: the grading machinery failed (a sandbox host killed or unable to start, the
 *    grader's own wall-clock backstop) even after retries. Not an attempt, never replaces an earlier
 *    score, and is retried later. Nothing that is not provably the student's code's doing ever scores.
 */
export const gradingStatusSchema = z.enum(["graded", "error", "compile_error", "infrastructure_error"]);
export type GradingStatus = z.infer<typeof gradingStatusSchema>;

/** A problem the compiler found that does not stop the code from running (e.g. a type error). */
export const diagnosticSchema = z.object({
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  message: z.string(),
});
export type Diagnostic = z.infer<typeof diagnosticSchema>;

export const gradingResultSchema = z.object({
  status: gradingStatusSchema,
  score: z.number().min(0),
  maxScore: z.number().min(0),
  tests: z.array(testResultSchema),
  /** Present unless status is "graded": why no grade could be given (compile error, exploration bound, ...). */
  error: z.string().optional(),
  /** Code graders: type errors against the exercise's declared types, shown beside the grading. */
  warnings: z.array(diagnosticSchema).optional(),
  /** Code graders: how many executions were run. */
  executions: z.number().int().min(0).optional(),
  /** Grader-specific data for the result page (e.g. the fault-space table). Not used for scoring. */
  details: jsonValue.optional(),
});
export type GradingResult = z.infer<typeof gradingResultSchema>;

/** Rounds to hundredths so partial credit adds up without floating-point noise. */
export function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}

/** An error result: no score is given. */
export function errorResult(maxScore: number, error: string, tests: TestResult[] = []): GradingResult {
  return { status: "error", score: 0, maxScore, tests, error };
}

/** The code did not compile: feedback with the compiler's words, no score, not an attempt. */
export function compileErrorResult(maxScore: number, error: string, tests: TestResult[] = []): GradingResult {
  return { status: "compile_error", score: 0, maxScore, tests, error };
}

/** The machinery failed, not the submission: no score, not an attempt, to be retried. */
export function infrastructureErrorResult(maxScore: number, error: string): GradingResult {
  return { status: "infrastructure_error", score: 0, maxScore, tests: [], error };
}

/** Whether a result spends one of the student's attempts: only what the student's code decided does. */
export function countsAsAttempt(status: GradingStatus): boolean {
  return status === "graded" || status === "error";
}

/**
 * Builds a graded result from evaluated tests, summing points. A grading that evaluated no test is
 * turned into an error: an empty test list must never look like full marks.
 */
export function finishResult(
  tests: TestResult[],
  extra: Pick<GradingResult, "executions" | "details"> = {},
): GradingResult {
  const maxScore = roundPoints(tests.reduce((sum, t) => sum + t.maxPoints, 0));
  if (tests.length === 0) {
    return { ...errorResult(maxScore, "The grader evaluated no rule, so no grade can be given."), ...extra };
  }
  const score = roundPoints(tests.reduce((sum, t) => sum + t.points, 0));
  return { status: "graded", score, maxScore, tests, ...extra };
}

/**
 * Parses a result that crossed a trust boundary (a worker, the database, a child process).
 * Anything malformed becomes an error result instead of an exception.
 */
export function parseGradingResult(raw: unknown): GradingResult {
  const parsed = gradingResultSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "unknown problem";
  return errorResult(0, `The grader produced a malformed result (${where}).`);
}
