/**
 * The one shape of a grading result, used by every grader in the product (rubric rules, the
 * fault-injection explorer, later graders), by the CLI's --json output, the JSON API, the database
 * and the pages. Anything that produces or consumes a grade goes through these types.
 *
 * A result that evaluated nothing is an error, never a pass: use `finishResult`, which enforces it.
 */
import { z } from "zod";

export const testStatusSchema = z.enum(["pass", "fail"]);
export type TestStatus = z.infer<typeof testStatusSchema>;

/** JSON-safe data attached to a failing test so a student can replay and understand it. */
const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
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
  /** Link to the lecture section that teaches the rule, e.g. "/modules/dark-launches#incremental-ramp". */
  link: z.string().optional(),
  /** Code graders: the smallest input that shows the failure, replayable as one execution. */
  counterexample: jsonValue.optional(),
});
export type TestResult = z.infer<typeof testResultSchema>;

export const gradingResultSchema = z.object({
  status: z.enum(["graded", "error"]),
  score: z.number().min(0),
  maxScore: z.number().min(0),
  tests: z.array(testResultSchema),
  /** Present when status is "error": why no grade could be given (compile error, exploration bound, ...). */
  error: z.string().optional(),
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

/**
 * Builds a graded result from evaluated tests, summing points. A grading that evaluated no test is
 * turned into an error: an empty test list must never look like full marks.
 */
export function finishResult(tests: TestResult[], extra: Pick<GradingResult, "executions" | "details"> = {}): GradingResult {
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
