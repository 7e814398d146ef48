/**
 * Grades a rollout policy written in TypeScript: `plan` and `decide(view)` from one module, run in the
 * sandbox, one execution per hidden day (so a grading is 24 executions, not one per look). The day
 * is simulated here (ramp-day.ts) and each look is a call the sandbox makes; the outcomes go through
 * the YAML policy's rules (grade.ts), so the same decisions get the same verdict and feedback.
 *
 * A day whose code fails (throws, spins, never settles, returns something that is not a decision, or
 * a plan that is not valid) is the student's: the day has no outcome, so no rule can be judged on it,
 * and every rule fails with what went wrong on which seed. A plan that does not validate is reported
 * like a YAML policy that does not parse: feedback, not an attempt.
 */
import { isDeepStrictEqual } from "node:util";
import type { CodeGradingOptions } from "../sandbox/config";
import { InfrastructureFailure, type CallAnswer, type CallFromChild, type SandboxRunner } from "../sandbox/runner";
import type { SandboxProfile } from "../sandbox/session";
import { describeTimeout, type Settlement } from "../sandbox/settlement";
import { machineryFailedResult, runAllWithin, startForGrading } from "../sandbox/start";
import { compileErrorResult, finishResult, roundPoints, type GradingResult, type TestResult } from "../result";
import { parseCodePlan, parseDecision, type CodePlan } from "./code-plan";
import { rolloutSession } from "./code-session";
import { gradeOutcomes } from "./grade";
import { DEFAULT_ROLLOUT_GRADING, type RolloutGrading } from "./grading-config";
import { RampDay } from "./ramp-day";
import { hiddenSeeds, type RunOutcome } from "./runner";
import type { Scenario } from "./scenarios";

export const ROLLOUT_MODULE = "flagship:rollout";
export const ROLLOUT_PROFILE: SandboxProfile = { moduleName: ROLLOUT_MODULE, session: rolloutSession };

/**
 * The sandbox's limits for a whole ramp day in one execution. A look is a call, answered at once
 * (no simulated latency: the day's clock is the simulation's, not the sandbox's), and a day has at
 * most one look a minute over the 720-minute horizon. Work: the reference uses about 30 ticks over all
 * 24 days (bench/rollout-sim.ts prints it); a day may use 1,000 and a grading 12,000, room for
 * heavier statistics at every minute while a loop that never ends is still stopped within a day.
 */
export const ROLLOUT_CODE_LIMITS: CodeGradingOptions = {
  callLatencyMs: 0,
  executionTimeoutMs: 1000,
  maxCallsPerExecution: 730,
  maxWorkTicks: 1000,
  maxWorkTicksPerGrading: 12_000,
};

const maxScoreOf = (grading: RolloutGrading) => roundPoints(grading.rules.reduce((s, r) => s + r.points, 0));

function failAll(grading: RolloutGrading, message: string): TestResult[] {
  return grading.rules.map((rule) => ({
    id: rule.id,
    name: rule.name,
    status: "fail",
    points: 0,
    maxPoints: rule.points,
    message,
    link: rule.link,
    hint: rule.hint,
  }));
}

/** One hidden day as the grader recorded it. */
interface DayRun {
  scenario: Scenario;
  seed: number;
  settlement: Settlement;
  work: number;
  day: RampDay | undefined;
  /** What the student's code did wrong on this day, in their terms (the grader's record, not the sandbox's). */
  fault: string | undefined;
  planIssues: string[] | undefined;
}

const OVER: CallAnswer = { ok: true, value: { over: true } };

/** Answers one day's calls from the sandbox: the plan, then a decision per look. */
function dayHandler(run: DayRun): (call: CallFromChild) => CallAnswer {
  const lookOrOver = (day: RampDay): CallAnswer => {
    const look = day.next();
    return look ? { ok: true, value: { look: { ...look } } } : OVER;
  };
  const stop = (fault: string): CallAnswer => {
    run.fault ??= fault;
    return OVER;
  };
  return (call) => {
    if (run.fault !== undefined || run.planIssues !== undefined) return OVER;
    if (call.service !== "ramp" || (call.method !== "begin" && call.method !== "decide"))
      return { violation: `called ${call.service}.${call.method}, which ${ROLLOUT_MODULE} does not offer` };
    if (call.method === "begin") {
      if (run.day) return stop("the day was begun twice");
      const parsed = parseCodePlan(call.args[0]);
      if (!parsed.ok) {
        run.planIssues = parsed.issues.map((i) => `${i.path}: ${i.message}`);
        return OVER;
      }
      run.day = new RampDay(parsed.plan, run.scenario, run.seed);
      return lookOrOver(run.day);
    }
    const day = run.day;
    if (!day || !day.awaitingDecision) return stop("a decision came when no look was waiting for one");
    const decision = parseDecision(call.args[0], day.plan);
    if (!decision.ok) return stop(`at minute ${day.minutesElapsed}, ${decision.message}`);
    day.decide(decision.decision);
    return lookOrOver(day);
  };
}

/** Why a day has no outcome, in the student's terms; undefined when it has one. */
function failureOf(run: DayRun): string | undefined {
  if (run.fault) return run.fault;
  const s = run.settlement;
  if (s.kind === "threw") return `your module threw: ${s.message}`;
  if (s.kind === "timeout") return describeTimeout(s, "your decide function");
  if (s.kind === "stuck") return "decide returned a promise that never settles";
  if (s.kind === "crashed") return `the sandbox stopped your code: ${s.detail}`;
  if (!run.day?.outcome) return "the module stopped before the day was over";
  return undefined;
}

async function runDay(runner: SandboxRunner, scenario: Scenario, seed: number): Promise<DayRun> {
  const fresh = (): DayRun => ({
    scenario,
    seed,
    settlement: { kind: "stuck" },
    work: 0,
    day: undefined,
    fault: undefined,
    planIssues: undefined,
  });
  let run = fresh();
  const raw = await runner.run(null, () => {
    // A fresh record per attempt: the runner runs an execution again alone after a host failure.
    run = fresh();
    return dayHandler(run);
  });
  run.settlement = raw.settlement;
  run.work = raw.work;
  return run;
}

export async function gradePolicyCode(
  source: string,
  grading: RolloutGrading = DEFAULT_ROLLOUT_GRADING,
  options: CodeGradingOptions = {},
): Promise<GradingResult> {
  const maxScore = maxScoreOf(grading);
  const started = await startForGrading(
    source,
    ROLLOUT_PROFILE,
    { ...ROLLOUT_CODE_LIMITS, ...options },
    { maxScore, failAll: (message) => failAll(grading, message) },
  );
  if (!started.ok) return started.result;
  const { runner, mode, config } = started;
  try {
    const days = hiddenSeeds(grading.seed, grading.seedsPerScenario);
    const runs = await runAllWithin(
      { deadline: Date.now() + config.totalTimeoutMs, totalTimeoutMs: config.totalTimeoutMs },
      days,
      ({ scenario, seed }) => runDay(runner, scenario, seed),
    );
    const work = runs.reduce((sum, r) => sum + r.work, 0);
    const looks = runs.reduce((sum, r) => sum + (r.day?.looks ?? 0), 0);
    const details = { sandbox: mode, work, looks };
    const badPlan = runs.find((r) => r.planIssues);
    if (badPlan?.planIssues) {
      const message = `The plan is not valid:\n${badPlan.planIssues.join("\n")}`;
      return {
        ...compileErrorResult(maxScore, message, failAll(grading, message)),
        executions: runs.length,
        details: { compileErrors: badPlan.planIssues },
      };
    }
    const failed = runs.find((r) => failureOf(r) !== undefined);
    if (failed) {
      const message = `On the hidden day of seed ${failed.seed} (${failed.scenario.title}), ${failureOf(failed)}. Every day must run to its end for any rule to be judged, so none was.`;
      return finishResult(failAll(grading, message), { executions: runs.length, details });
    }
    if (work > config.maxWorkTicksPerGrading) {
      const message = `Your policy did ${work} units of work over the hidden days, past the ${config.maxWorkTicksPerGrading} a grading may use: decide does far more computing than judging a few minutes of metrics needs.`;
      return finishResult(failAll(grading, message), { executions: runs.length, details });
    }
    const plans = runs.map((r) => r.day?.plan as CodePlan);
    const plan = plans[0] as CodePlan;
    if (!plans.every((p) => isDeepStrictEqual(p, plan))) {
      const message = "The plan differed from one day to another; it must be a constant, the same on every day.";
      return finishResult(failAll(grading, message), { executions: runs.length, details });
    }
    const outcomes = runs.map((r) => r.day?.outcome as RunOutcome);
    return { ...gradeOutcomes(outcomes, plan.watch, grading, details), executions: runs.length };
  } catch (error) {
    if (error instanceof InfrastructureFailure) return machineryFailedResult(maxScore, error);
    throw error;
  } finally {
    await runner.close();
  }
}
