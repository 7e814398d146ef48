/**
 * The steps every sandboxed grader takes before its first execution: validate options, transpile with
 * the profile's one allowed import, pick the strongest sandbox, start the child. Each failure comes
 * back as data so the caller can turn it into its own result (a compile error is feedback; a sandbox
 * that will not start is an infrastructure error).
 */
import {
  compileErrorResult,
  errorResult,
  infrastructureErrorResult,
  type GradingResult,
  type TestResult,
} from "../result";
import { resolveCodeGradingOptions, type CodeGradingConfig, type CodeGradingOptions } from "./config";
import { transpileSubmission } from "./transpile";
import { detectSandboxMode, type SandboxMode } from "./modes";
import { sessionSource } from "./session-source";
import { InfrastructureFailure, ModuleLoadError, SandboxRunner } from "./runner";
import { prestartHost } from "./engine-pool";
import type { SandboxProfile } from "./session";

export type StartedSandbox =
  | { ok: true; runner: SandboxRunner; mode: SandboxMode; config: CodeGradingConfig }
  | { ok: false; compileErrors: string[] }
  /** Bad options: the caller's mistake, not the student's nor the machine's. */
  | { ok: false; error: string }
  /** No sandbox, or it would not start: the machine's. */
  | { ok: false; infrastructure: string };

export async function startSandbox(
  source: string,
  profile: SandboxProfile,
  options: CodeGradingOptions = {},
): Promise<StartedSandbox> {
  let config: CodeGradingConfig;
  try {
    config = resolveCodeGradingOptions(options);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const detected = detectSandboxMode({ allowUnsafe: config.allowUnsafeSandbox, force: config.sandboxMode });
  // The host boots while the code compiles: on a cold start the two take about as long.
  if (!("error" in detected)) prestartHost(detected.mode, config);
  // Minified alongside the transpiling, through the same esbuild service: the runner finds it ready.
  sessionSource(profile).catch(() => undefined);
  const compiled = await transpileSubmission(source, "solution.ts", profile.moduleName);
  if (!compiled.ok)
    return "errors" in compiled
      ? { ok: false, compileErrors: compiled.errors }
      : { ok: false, infrastructure: compiled.infrastructure };
  if ("error" in detected) return { ok: false, infrastructure: detected.error };
  const runner = new SandboxRunner(detected.mode, compiled.code, config, profile, config.executionsInFlight);
  try {
    await runner.start();
  } catch (error) {
    await runner.close();
    if (error instanceof ModuleLoadError)
      return { ok: false, compileErrors: [`the engine could not load your module: ${error.message}`] };
    const why = error instanceof InfrastructureFailure ? error.message : String(error);
    return { ok: false, infrastructure: `The sandbox could not start (${detected.mode} mode): ${why}` };
  }
  return { ok: true, runner, mode: detected.mode, config };
}

export type ReadyToGrade =
  | { ok: true; runner: SandboxRunner; mode: SandboxMode; config: CodeGradingConfig }
  | { ok: false; result: GradingResult };

/**
 * `startSandbox` with its failures already turned into the result every code kind gives: a compile
 * error is feedback (every rule failing with the compiler's message, no score, not an attempt); a
 * sandbox that will not start is an infrastructure error; bad options an error result.
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
    return {
      ok: false,
      result: {
        ...compileErrorResult(grading.maxScore, message, grading.failAll(message)),
        executions: 0,
        details: { compileErrors: started.compileErrors },
      },
    };
  }
  if ("infrastructure" in started)
    return { ok: false, result: infrastructureErrorResult(grading.maxScore, started.infrastructure) };
  return { ok: false, result: errorResult(grading.maxScore, started.error) };
}

/** What a code kind gives when its grading's machinery failed: see InfrastructureFailure. */
export function machineryFailedResult(maxScore: number, failure: InfrastructureFailure): GradingResult {
  return infrastructureErrorResult(
    maxScore,
    `The grading machinery failed, not your code: ${failure.message}. It will be graded again.`,
  );
}

/**
 * Hands every item to the sandbox at once, in order: the runner keeps up to `executionsInFlight` of
 * them in the child and queues the rest, so their messages share pipe writes. Results come back in
 * the order given. The real-time backstop is checked as each item is handed over and again as each
 * answer arrives; past it, InfrastructureFailure (verdicts are bounded by work, never by real time).
 */
export function runAllWithin<T, R>(
  budget: { deadline: number; totalTimeoutMs: number },
  items: readonly T[],
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const outOfTime = () =>
    new InfrastructureFailure(`the grading ran past its real-time backstop of ${budget.totalTimeoutMs} ms`);
  return Promise.all(
    items.map(async (item) => {
      if (Date.now() > budget.deadline) throw outOfTime();
      const result = await run(item);
      if (Date.now() > budget.deadline) throw outOfTime();
      return result;
    }),
  );
}
