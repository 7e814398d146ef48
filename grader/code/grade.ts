/**
 * Grades one code submission end to end: transpile, start one sandboxed child, explore each fixture's
 * fault space, judge every execution from the grader's own record, and build the one result shape.
 * No HTTP, no SQL: the server's workers and the CLI call `gradeCode` directly.
 */
import { errorResult, finishResult, type GradingResult, type JsonValue, type TestResult } from "../result";
import { callNameSchema, FAULT_SHAPES, type CallName, type FaultKind } from "./contract";
import type { CodeGradingConfig, CodeGradingOptions } from "../sandbox/config";
import { counterexampleOf, counterexampleSchema } from "./counterexample";
import { callId, describeFault, type CallRecord, type ExecutionRecord, type Fault } from "./execution";
import { exploreEveryAttempt, occurrenceId } from "./exhaustive";
import { explore, type ExploredExecution, type ExploreLimits } from "./explorer";
import type { ErrorField } from "../sandbox/protocol";
import { InfrastructureFailure } from "../sandbox/runner";
import { FakeServices } from "./fake-services";
import { faultTable, type JudgedExecution } from "./fault-table";
import { expectationFor, judgeExecution, type RuleCheck } from "./judge";
import type { Fixture, Oracle } from "./oracle-schema";
import type { SandboxRunner } from "../sandbox/runner";
import { CHECKOUT_PROFILE } from "../sandbox/session";
import { machineryFailedResult, startForGrading } from "../sandbox/start";

/** What the code grader needs of an exercise: its id and its oracle (rules, fixtures, points). */
export interface CodeExercise {
  id: string;
  oracle: Oracle;
}

export type { CodeGradingOptions };

function maxScoreOf(oracle: Oracle): number {
  return oracle.rules.reduce((sum, r) => sum + r.points, 0);
}

function failAllRules(oracle: Oracle, message: string): TestResult[] {
  return oracle.rules.map((r) => ({ id: r.id, name: r.name, status: "fail", points: 0, maxPoints: r.points, message }));
}

/**
 * Which attempts fail. Logical faults (explorer.ts) name a logical call, `service.method#n`, and fail
 * its first `attempts` attempts or all of them; the exhaustive search's name one attempt,
 * `service.method@occurrence`.
 */
function injectedKind(
  faults: readonly Fault[],
  name: CallName,
  id: string,
  attempt: number,
  occurrence: number,
): FaultKind | undefined {
  const byOccurrence = occurrenceId(name, occurrence);
  for (const fault of faults) {
    if (fault.call === byOccurrence) return fault.kind;
    if (fault.call === id && (fault.attempts === undefined || attempt <= fault.attempts)) return fault.kind;
  }
  return undefined;
}

/** What exploring needs of a runner: the sandbox's, or the benchmark's in-process floor (bench/in-process-floor.ts). */
export type ExecutionRunner = Pick<SandboxRunner, "run">;

/** Runs one execution of the handler against a fixture with the given faults, recording every call. */
async function runOnce(runner: ExecutionRunner, fixture: Fixture, faults: Fault[]): Promise<ExploredExecution> {
  let calls: CallRecord[] = [];
  let idBySeq = new Map<number, string>();
  const raw = await runner.run(fixture.request, () => {
    // A fresh record per attempt: the runner may run an execution again alone (see SandboxRunner).
    const services = new FakeServices(fixture);
    /** Per method: how many calls so far, which logical call is open, and its attempts so far. */
    const progress = new Map<string, { occurrences: number; logical: number; attempts: number }>();
    calls = [];
    idBySeq = new Map();
    return (call) => {
      const name = callNameSchema.safeParse(`${call.service}.${call.method}`);
      if (!name.success) return { violation: `called ${call.service}.${call.method}, which is not part of deps` };
      const state = progress.get(name.data) ?? { occurrences: 0, logical: 1, attempts: 0 };
      progress.set(name.data, state);
      state.occurrences++;
      state.attempts++;
      const id = callId(name.data, state.logical);
      const base = { id, name: name.data, attempt: state.attempts, occurrence: state.occurrences, args: call.args };
      idBySeq.set(call.seq, id);
      const kind = injectedKind(faults, name.data, id, state.attempts, state.occurrences);
      if (kind) {
        calls.push({ ...base, outcome: { ok: false, injected: kind } });
        return { ok: false, error: { kind, ...FAULT_SHAPES[kind], message: `${name.data} failed` } };
      }
      const answer = services.answer(name.data, call.args);
      calls.push({ ...base, outcome: answer });
      if (!answer.ok)
        return { ok: false, error: { kind: "internal", status: 400, retryable: false, message: answer.rejected } };
      // A success ends the logical call: the next call of this method starts the next one.
      state.logical++;
      state.attempts = 0;
      return answer;
    };
  });
  const reads = new Map<string, Set<ErrorField>>();
  for (const { seq, field } of raw.inspected) {
    const id = idBySeq.get(seq);
    if (!id) continue;
    const fields = reads.get(id) ?? new Set<ErrorField>();
    fields.add(field);
    reads.set(id, fields);
  }
  return { fixtureId: fixture.id, faults, calls, settlement: raw.settlement, reads, work: raw.work };
}

interface RuleTally {
  checked: number;
  /** Executions checked in which the handler gave a valid answer: a rule is earned only through one. */
  answered: number;
  failures: { judged: JudgedExecution; fixture: Fixture; message: string }[];
}

function buildTests(oracle: Oracle, tallies: Map<string, RuleTally>): TestResult[] {
  return oracle.rules.map((rule) => {
    const tally = tallies.get(rule.id) ?? { checked: 0, answered: 0, failures: [] };
    const base = { id: rule.id, name: rule.name, maxPoints: rule.points, ...(rule.link ? { link: rule.link } : {}) };
    if (tally.failures.length === 0 && tally.answered > 0) {
      return { ...base, status: "pass" as const, points: rule.points, message: rule.passMessage };
    }
    const hint = rule.hint ? { hint: rule.hint } : {};
    // Code that never answers breaks no rule about charges, but it has not shown one either.
    if (tally.failures.length === 0 && tally.checked > 0) {
      return {
        ...base,
        ...hint,
        status: "fail" as const,
        points: 0,
        message:
          "Your handler never answered (every execution crashed, hung or threw), so this rule could not be shown to hold.",
      };
    }
    if (tally.failures.length === 0) {
      return {
        ...base,
        ...hint,
        status: "fail" as const,
        points: 0,
        message: "No execution reached the situation this rule is about, so it could not be shown to hold.",
      };
    }
    // The smallest fault set is the easiest story to follow; ties keep exploration order.
    const first = [...tally.failures].sort((a, b) => a.judged.record.faults.length - b.judged.record.faults.length)[0];
    if (!first) throw new Error("unreachable: failures is not empty");
    const expected = expectationFor(oracle, first.fixture, first.judged.record.calls);
    const count = tally.failures.length;
    return {
      ...base,
      ...hint,
      status: "fail" as const,
      points: 0,
      message: `${first.message} (fixture ${first.fixture.id}${first.judged.record.faults.length ? `, faults ${first.judged.record.faults.map(describeFault).join(", ")}` : ", no faults"}; failed in ${count} of ${tally.checked} executions checked)`,
      counterexample: counterexampleOf(first.judged.record, expected, first.message),
    };
  });
}

/**
 * Grades a submission. Never throws for anything the submission does: compile errors are graded
 * with 0 points, a missing sandbox or an exploration bound gives an "error" result with the reason.
 */
export async function gradeCode(
  exercise: CodeExercise,
  source: string,
  options: CodeGradingOptions = {},
): Promise<GradingResult> {
  const oracle = exercise.oracle;
  const ready = await startForGrading(source, CHECKOUT_PROFILE, options, {
    maxScore: maxScoreOf(oracle),
    failAll: (m) => failAllRules(oracle, m),
  });
  if (!ready.ok) return ready.result;
  const { runner, config, mode } = ready;
  try {
    return await exploreAndJudge(oracle, runner, config, () => ({ sandbox: mode, hostsLeased: runner.hostsLeased }));
  } catch (error) {
    if (!(error instanceof InfrastructureFailure)) throw error;
    return machineryFailedResult(maxScoreOf(oracle), error);
  } finally {
    await runner.close();
  }
}

/**
 * A grading once the code runs: explores every fixture's fault space with `runner`, judges every
 * execution from the grader's own record and builds the result. `sandboxDetails` says what ran it.
 */
export async function exploreAndJudge(
  oracle: Oracle,
  runner: ExecutionRunner,
  config: CodeGradingConfig,
  sandboxDetails: () => Record<string, JsonValue>,
): Promise<GradingResult> {
  const limits: ExploreLimits = {
    maxExecutions: config.maxExecutionsPerFixture,
    work: { left: config.maxWorkTicksPerGrading },
    backstop: Date.now() + config.totalTimeoutMs,
    reduce: config.reduce,
  };
  const search = config.faultModel === "every-attempt" ? exploreEveryAttempt : explore;
  const tallies = new Map<string, RuleTally>();
  const tables: JsonValue[] = [];
  let executions = 0;
  let skipped = 0;
  // The fixtures are explored side by side: each search stays sequential and deterministic, and
  // their executions share the child's pipe writes. Results are read in the oracle's order.
  const explorations = await Promise.all(
    oracle.fixtures.map((fixture) => search((faults) => runOnce(runner, fixture, faults), oracle.faultKinds, limits)),
  );
  for (const [index, fixture] of oracle.fixtures.entries()) {
    const exploration = explorations[index];
    if (!exploration) throw new Error("unreachable: one exploration per fixture");
    const judged: JudgedExecution[] = [];
    executions += exploration.executions.length;
    skipped += exploration.skipped;
    for (const record of exploration.executions) {
      const checks = judgeExecution(oracle, fixture, record);
      judged.push({ record, checks });
      tally(tallies, fixture, { record, checks });
    }
    tables.push(
      faultTable(fixture.id, judged, config.maxTableRows, ({ record, checks }) =>
        counterexampleOf(
          record,
          expectationFor(oracle, fixture, record.calls),
          checks.find((c) => !c.ok)?.message ?? "",
        ),
      ),
    );
    if (!exploration.complete) {
      return {
        ...errorResult(
          maxScoreOf(oracle),
          `Exploration incomplete for fixture ${fixture.id}: ${exploration.incomplete ?? "stopped early"} (after ${exploration.executions.length} executions). No grade is given rather than a partial one.`,
          buildTests(oracle, tallies),
        ),
        executions,
        details: { ...sandboxDetails(), faultSpace: tables },
      };
    }
  }
  return finishResult(buildTests(oracle, tallies), {
    executions,
    details: { ...sandboxDetails(), skippedByReduction: skipped, faultSpace: tables },
  });
}

function tally(tallies: Map<string, RuleTally>, fixture: Fixture, judged: JudgedExecution): void {
  const seen = new Set<string>();
  // Answered: the handler settled with a valid response in time (the no-crash check held).
  const answered = judged.checks.some((c) => c.rule === "no-crash" && c.ok);
  for (const check of judged.checks) {
    const t = tallies.get(check.rule) ?? { checked: 0, answered: 0, failures: [] };
    tallies.set(check.rule, t);
    // One execution counts once per rule, with its first failure message.
    if (!seen.has(check.rule)) {
      t.checked++;
      if (answered) t.answered++;
    }
    if (!check.ok && !t.failures.some((f) => f.judged === judged))
      t.failures.push({ judged, fixture, message: check.message });
    seen.add(check.rule);
  }
}

export interface Replay {
  record: ExecutionRecord;
  checks: RuleCheck[];
  /** Rule ids that failed in this execution. */
  failing: string[];
}

/**
 * Replays one counterexample (its fixture and fault set) as a single execution in a fresh sandbox.
 * Bad input is answered with an Error whose message names what is wrong.
 */
export async function replayCounterexample(
  exercise: CodeExercise,
  source: string,
  counterexample: unknown,
  options: CodeGradingOptions = {},
): Promise<Replay> {
  const key = counterexampleSchema.safeParse(counterexample);
  if (!key.success) {
    const issue = key.error.issues[0];
    throw new Error(
      `Not a counterexample: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid"}`,
    );
  }
  const fixture = exercise.oracle.fixtures.find((f) => f.id === key.data.fixture);
  if (!fixture) throw new Error(`Not a counterexample of ${exercise.id}: unknown fixture "${key.data.fixture}"`);
  const oracle = exercise.oracle;
  const ready = await startForGrading(source, CHECKOUT_PROFILE, options, {
    maxScore: maxScoreOf(oracle),
    failAll: (m) => failAllRules(oracle, m),
  });
  if (!ready.ok)
    throw new Error(
      `Cannot replay: ${ready.result.error ?? ready.result.tests[0]?.message ?? "the submission could not run"}`,
    );
  try {
    const faults = key.data.faults.map((f) => ({
      call: f.call,
      kind: f.kind,
      ...(f.attempts === undefined ? {} : { attempts: f.attempts }),
    }));
    const record = await runOnce(ready.runner, fixture, faults);
    const checks = judgeExecution(exercise.oracle, fixture, record);
    return { record, checks, failing: [...new Set(checks.filter((c) => !c.ok).map((c) => c.rule))] };
  } finally {
    await ready.runner.close();
  }
}
