/**
 * Grades one dark-launch submission by differential testing: run the student's `quoteRide` in the
 * sandbox over seeded inputs (and a 100-rider ramp population), compare every answer with the trusted
 * legacy handler and the flag rules, shrink each failing rule's input to the simplest one that still
 * fails, and build the one result shape. No HTTP, no SQL.
 */
import type { CodeGradingOptions } from "../sandbox/config";
import { InfrastructureFailure } from "../sandbox/runner";
import { machineryFailedResult, runAllWithin, startForGrading } from "../sandbox/start";
import type { SandboxRunner } from "../sandbox/runner";
import type { SandboxProfile } from "../sandbox/session";
import { finishResult, type GradingResult, type JsonValue, type TestResult } from "../result";
import { MODULE_NAME } from "./contract";
import { failureMessage } from "./feedback";
import { answerFlagCall, flagService } from "./flag-client";
import { generateCases, rampPopulation, type RideCase } from "./generate";
import { counterexampleOf, judgeRun, offeredPriority, type RideRun } from "./judge";
import { answerPricing, pricingService, type PricingCall } from "./pricing";
import { rampProperties, type PropertyOutcome } from "./properties";
import type { DarkLaunchRule, DarkLaunchRules, RuleId } from "./rules-schema";
import { caseSize, shrink } from "./shrink";
import { ridesSession, type RidesLibrary } from "./session";

export interface DarkLaunchExercise {
  id: string;
  rules: DarkLaunchRules;
}

export const DARK_LAUNCH_PROFILE: SandboxProfile<RidesLibrary> = {
  moduleName: MODULE_NAME,
  session: ridesSession,
  library: { flags: flagService, pricing: pricingService },
};

/** A handler that hangs costs a timeout per input; past this many while generating, stop. */
const MAX_UNANSWERED = 5;
/** Shrinking a hang would repeat it at every step; past this many timeouts, keep the input reached so far. */
const MAX_SHRINK_TIMEOUTS = 2;

const maxScoreOf = (rules: DarkLaunchRules) => rules.rules.reduce((sum, r) => sum + r.points, 0);

function ruleBase(rule: DarkLaunchRule) {
  return { id: rule.id, name: rule.name, maxPoints: rule.points, ...(rule.link ? { link: rule.link } : {}) };
}

function failAll(rules: DarkLaunchRules, message: string, counterexample?: JsonValue): TestResult[] {
  return rules.rules.map((r) => ({
    ...ruleBase(r),
    ...(r.hint ? { hint: r.hint } : {}),
    status: "fail",
    points: 0,
    message,
    ...(counterexample !== undefined ? { counterexample } : {}),
  }));
}

/**
 * Runs one input in the sandbox, recording its pricing calls. The session answers the calls itself
 * by the same rules (the flag evaluations from the flag state sent with the input); those it cannot
 * answer come here to be refused, and the answers to the others are not sent.
 */
async function runCase(runner: SandboxRunner, c: RideCase, seed: number): Promise<RideRun> {
  let pricingCalls: PricingCall[] = [];
  const input = { rider: c.rider, trip: c.trip } as unknown as JsonValue;
  const flag = c.flag as unknown as JsonValue;
  const raw = await runner.run({ input, seed, flag }, () => {
    // A fresh record per attempt: the runner runs an input again alone when the child failed with
    // several in flight, and only that attempt's calls are the input's.
    pricingCalls = [];
    return (call) => {
      if (call.service === "flags") {
        const answer = answerFlagCall(call.method, call.args, c.flag);
        if (answer.ok) return { ok: true, value: answer.value };
        return { ok: false, error: { kind: "internal", status: 400, retryable: false, message: answer.message } };
      }
      if (call.service === "pricing") {
        const answer = answerPricing(call.method, call.args);
        if (call.method === "standardQuote" || call.method === "priorityQuote")
          pricingCalls.push({ call: `pricing.${call.method}`, args: call.args });
        if (answer.ok) return { ok: true, value: answer.value as unknown as JsonValue };
        return { ok: false, error: { kind: "internal", status: 400, retryable: false, message: answer.rejected } };
      }
      return { violation: `called ${call.service}.${call.method}, which is not part of deps` };
    };
  });
  return { input: c, settlement: raw.settlement, pricingCalls };
}

// Crashes only cost a restart (tens of milliseconds) and stay bounded by the total deadline.
const timedOut = (run: RideRun) => run.settlement.kind === "timeout";

export async function gradeDarkLaunch(
  exercise: DarkLaunchExercise,
  source: string,
  options: CodeGradingOptions = {},
): Promise<GradingResult> {
  const { rules } = exercise;
  // A quote takes well under a millisecond; half a second is plenty and keeps a hanging handler cheap.
  // Every input is known up front and the sandbox answers the calls itself, so the engine host never
  // waits on the grader mid-execution: what keeps it busy is having runs queued while the grader
  // takes in the last ones' results (about 50 ms of a cold grade against the default 8).
  const started = await startForGrading(
    source,
    DARK_LAUNCH_PROFILE,
    { executionTimeoutMs: 500, executionsInFlight: 32, ...options },
    {
      maxScore: maxScoreOf(rules),
      failAll: (message) => failAll(rules, message),
    },
  );
  if (!started.ok) return started.result;
  const { runner, mode, config } = started;
  const deadline = Date.now() + config.totalTimeoutMs;
  let executions = 0;
  /** Each input's seed is the grader's seed plus its place in the order the inputs are handed over. */
  let seeds = 0;
  let timeouts = 0;
  let shrinkTimeouts = 0;
  /**
   * Runs every input at once (runAllWithin). Seeds are handed out in input order, before any await,
   * so the answers (and the verdicts) are those of running the inputs one by one.
   */
  const executeAll = (cases: RideCase[]): Promise<RideRun[]> =>
    runAllWithin({ deadline, totalTimeoutMs: config.totalTimeoutMs }, cases, async (c) => {
      const run = await runCase(runner, c, rules.seed + seeds++);
      executions++;
      if (timedOut(run) && ++timeouts > MAX_UNANSWERED) throw new UnansweredError(run);
      return run;
    });
  /** Shrinking runs: undefined once shrinking has met enough timeouts to stop trying. */
  const tryShrink = async (c: RideCase): Promise<RideRun | undefined> => {
    if (shrinkTimeouts >= MAX_SHRINK_TIMEOUTS) return undefined;
    if (Date.now() > deadline)
      throw new InfrastructureFailure(`the grading ran past its real-time backstop of ${config.totalTimeoutMs} ms`);
    const run = await runCase(runner, c, rules.seed + seeds++);
    executions++;
    if (timedOut(run)) shrinkTimeouts++;
    return run;
  };
  try {
    const runs = await executeAll(generateCases(rules.seed, rules.cases));
    const population = rampPopulation(rules.seed);
    const percents = [...rules.rampPercents].sort((a, b) => a - b);
    const asked = [percents[0] ?? 10, ...percents];
    const rampCases = asked.flatMap((percent) =>
      population.riders.map((rider): RideCase => ({ rider, trip: population.trip, flag: { mode: "ramp", percent } })),
    );
    const rampRuns = await executeAll(rampCases);
    runs.push(...rampRuns);
    // rampRuns holds one block of riders per percent asked, in order: offered[rider][ask].
    const offered: boolean[][] = population.riders.map((_, i) =>
      asked.map((_, a) => offeredPriority(rampRuns[a * population.riders.length + i] as RideRun)),
    );
    const properties = rampProperties(population.riders, asked, offered, rules.shareTolerance);
    const perInput = await judgeAll(runs, tryShrink, rules.shrinkBudget);
    const tests = rules.rules.map((rule) => buildTest(rule, perInput.get(rule.id), properties));
    const ramp: JsonValue = percents.map((percent) => ({
      percent,
      riders: population.riders.length,
      offered: offered.filter((o) => o[asked.indexOf(percent, 1)]).length,
    }));
    return finishResult(tests, { executions, details: { sandbox: mode, generatedInputs: rules.cases, ramp } });
  } catch (error) {
    if (error instanceof UnansweredError) {
      const message = `Your handler did not answer within ${config.executionTimeoutMs} ms of simulated time (or kept computing) on more than ${MAX_UNANSWERED} inputs, so grading stopped there. The last input it hung on is in the counterexample.`;
      return finishResult(failAll(rules, message, counterexampleOf(error.run, "no-op-response")), {
        executions,
        details: { sandbox: mode },
      });
    }
    if (error instanceof InfrastructureFailure) return machineryFailedResult(maxScoreOf(rules), error);
    throw error;
  } finally {
    await runner.close();
  }
}

class UnansweredError extends Error {
  constructor(readonly run: RideRun) {
    super("too many unanswered inputs");
  }
}

interface PerInputOutcome {
  judged: number;
  failures: RideRun[];
  /** The simplest failing run after shrinking. */
  smallest?: RideRun;
}

/** Judges every run, then shrinks each failing rule's simplest input further in the sandbox. */
async function judgeAll(
  runs: RideRun[],
  tryShrink: (c: RideCase) => Promise<RideRun | undefined>,
  budget: number,
): Promise<Map<RuleId, PerInputOutcome>> {
  const outcomes = new Map<RuleId, PerInputOutcome>();
  for (const run of runs) {
    for (const check of judgeRun(run)) {
      const o = outcomes.get(check.rule) ?? { judged: 0, failures: [] };
      outcomes.set(check.rule, o);
      o.judged++;
      if (!check.ok) o.failures.push(run);
    }
  }
  for (const [rule, o] of outcomes) {
    if (o.failures.length === 0) continue;
    const simplest = [...o.failures].sort((a, b) => caseSize(a.input) - caseSize(b.input))[0];
    if (!simplest) continue;
    let smallest = simplest;
    await shrink(
      simplest.input,
      async (candidate) => {
        const run = await tryShrink(candidate);
        if (!run) return false;
        const fails = judgeRun(run).some((ch) => ch.rule === rule && !ch.ok);
        if (fails) smallest = run;
        return fails;
      },
      budget,
    );
    o.smallest = smallest;
  }
  return outcomes;
}

function buildTest(
  rule: DarkLaunchRule,
  outcome: PerInputOutcome | undefined,
  properties: Map<RuleId, PropertyOutcome>,
): TestResult {
  const base = ruleBase(rule);
  const hint = rule.hint ? { hint: rule.hint } : {};
  const property = properties.get(rule.id);
  if (property) {
    if (property.ok) return { ...base, status: "pass", points: rule.points, message: rule.passMessage };
    return {
      ...base,
      ...hint,
      status: "fail",
      points: 0,
      message: property.message,
      counterexample: property.counterexample,
    };
  }
  if (!outcome || outcome.judged === 0) {
    return {
      ...base,
      ...hint,
      status: "fail",
      points: 0,
      message: "No generated input reached the situation this rule is about, so it could not be shown to hold.",
    };
  }
  if (!outcome.smallest) return { ...base, status: "pass", points: rule.points, message: rule.passMessage };
  return {
    ...base,
    ...hint,
    status: "fail",
    points: 0,
    message: failureMessage(rule.id, outcome.smallest, outcome.failures.length, outcome.judged),
    counterexample: counterexampleOf(outcome.smallest, rule.id),
  };
}
