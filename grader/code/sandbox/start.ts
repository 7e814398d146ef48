/**
 * The steps every sandboxed grader takes before its first execution: validate options, transpile with
 * the profile's one allowed import, pick the strongest sandbox, start the child. Each failure comes
 * back as data so the caller can turn it into its own result (a compile error is graded; a missing
 * sandbox is an error result).
 */
import { errorResult, finishResult, type GradingResult, type TestResult } from "../../result";
import { resolveCodeGradingOptions, type CodeGradingConfig, type CodeGradingOptions } from "../config";
import { transpileSubmission } from "../transpile";
import { detectSandboxMode, type SandboxMode } from "./modes";
import { SandboxRunner, SandboxStartError } from "./runner";
import type { SandboxProfile } from "./session";

export type StartedSandbox =
  | { ok: true; runner: SandboxRunner; mode: SandboxMode; config: CodeGradingConfig }
  | { ok: false; compileErrors: string[] }
  | { ok: false; error: string };

export async function startSandbox(source: string, profile: SandboxProfile, options: CodeGradingOptions = {}): Promise<StartedSandbox> {
  let config: CodeGradingConfig;
  try {
    config = resolveCodeGradingOptions(options);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const compiled = await transpileSubmission(source, "solution.ts", profile.moduleName);
  if (!compiled.ok) return { ok: false, compileErrors: compiled.errors };
  const detected = detectSandboxMode({ allowUnsafe: config.allowUnsafeSandbox, force: config.sandboxMode });
  if ("error" in detected) return { ok: false, error: detected.error };
  const runner = new SandboxRunner(detected.mode, compiled.code, config, profile, config.executionsInFlight);
  try {
    await runner.start();
  } catch (error) {
    await runner.close();
    const why = error instanceof SandboxStartError ? error.message : String(error);
    return { ok: false, error: `The sandbox could not start (${detected.mode} mode): ${why}` };
  }
  return { ok: true, runner, mode: detected.mode, config };
}

export type ReadyToGrade = { ok: true; runner: SandboxRunner; mode: SandboxMode; config: CodeGradingConfig } | { ok: false; result: GradingResult };

/**
 * `startSandbox` with its failures already turned into the grade every code kind gives: a compile
 * error is the student's to fix, so it is graded (every rule failing with the compiler's message,
 * 0 points, counting as an attempt); anything else (no sandbox, bad options) is an error result.
 */
export async function startForGrading(
  source: string,
  profile: SandboxProfile,
  options: CodeGradingOptions,
  grading: { maxScore: number; failAll: (message: string) => TestResult[] },
): Promise<ReadyToGrade> {
  const started = await startSandbox(source, profile, options);
  if (started.ok) return started;
  if ("compileErrors" in started) {
    const message = `Your code did not compile: ${started.compileErrors.slice(0, 3).join("; ")}`;
    return { ok: false, result: finishResult(grading.failAll(message), { executions: 0, details: { compileErrors: started.compileErrors } }) };
  }
  return { ok: false, result: errorResult(grading.maxScore, started.error) };
}

/** Thrown by a sandboxed grader whose total time budget ran out; see `incompleteResult`. */
export class GradingOutOfTime extends Error {}

/**
 * Hands every item to the sandbox at once, in order: the runner keeps up to `executionsInFlight` of
 * them in the child and queues the rest, so their messages share pipe writes. Results come back in
 * the order given. The time budget is checked as each item is handed over and again as each answer
 * arrives, since all of them are handed over at the start; past it, GradingOutOfTime.
 */
export function runAllWithin<T, R>(budget: { deadline: number; totalTimeoutMs: number }, items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const outOfTime = () => new GradingOutOfTime(`grading took longer than ${budget.totalTimeoutMs} ms`);
  return Promise.all(
    items.map(async (item) => {
      if (Date.now() > budget.deadline) throw outOfTime();
      const result = await run(item);
      if (Date.now() > budget.deadline) throw outOfTime();
      return result;
    }),
  );
}

/** What a grading that could not finish gives: no grade at all rather than a partial one. */
export function incompleteResult(maxScore: number, why: string, executions: number): GradingResult {
  return { ...errorResult(maxScore, `Grading incomplete: ${why}. No grade is given rather than a partial one.`), executions };
}
