/**
 * Grades one code submission end to end: transpile, start one sandboxed child, explore each fixture's
 * fault space, judge every execution from the grader's own record, and build the one result shape.
 * No HTTP, no SQL: the server's workers and the CLI call `gradeCode` directly.
 */
import { errorResult, finishResult, type GradingResult, type JsonValue, type TestResult } from "../result";
import { callNameSchema, FAULT_SHAPES } from "./contract";
import type { CodeGradingConfig, CodeGradingOptions } from "./config";
import { counterexampleOf, counterexampleSchema } from "./counterexample";
import { callId, type CallRecord, type ExecutionRecord, type Fault } from "./execution";
import { explore } from "./explorer";
import { FakeServices } from "./fake-services";
import { faultTable, type JudgedExecution } from "./fault-table";
import { expectationFor, judgeExecution, type RuleCheck } from "./judge";
import type { Fixture, Oracle } from "./oracle-schema";
import type { SandboxRunner } from "./sandbox/runner";
import { CHECKOUT_PROFILE } from "./sandbox/session";
import { startForGrading } from "./sandbox/start";

/** What the code grader needs of an exercise: its id and its oracle (rules, fixtures, points). */
export interface CodeExercise {
  id: string;
  oracle: Oracle;
}

export type { CodeGradingOptions, CodeGradingConfig };

function maxScoreOf(oracle: Oracle): number {
  return oracle.rules.reduce((sum, r) => sum + r.points, 0);
}

function failAllRules(oracle: Oracle, message: string): TestResult[] {
  return oracle.rules.map((r) => ({ id: r.id, name: r.name, status: "fail", points: 0, maxPoints: r.points, message }));
}

/** Runs one execution of the handler against a fixture with the given faults, recording every call. */
async function runOnce(runner: SandboxRunner, fixture: Fixture, faults: Fault[]): Promise<ExecutionRecord & { inspectedFaults: string[] }> {
  let calls: CallRecord[] = [];
  let idBySeq = new Map<number, string>();
  const raw = await runner.run(fixture.request, () => {
    // A fresh record per attempt: the runner may run an execution again alone (see SandboxRunner).
    const services = new FakeServices(fixture);
    const occurrences = new Map<string, number>();
    calls = [];
    idBySeq = new Map();
    return (call) => {
      const name = callNameSchema.safeParse(`${call.service}.${call.method}`);
      if (!name.success) return { violation: `called ${call.service}.${call.method}, which is not part of deps` };
      const occurrence = (occurrences.get(name.data) ?? 0) + 1;
      occurrences.set(name.data, occurrence);
      const id = callId(name.data, occurrence);
      idBySeq.set(call.seq, id);
      const fault = faults.find((f) => f.call === id);
      if (fault) {
        calls.push({ id, name: name.data, occurrence, args: call.args, outcome: { ok: false, injected: fault.kind } });
        return { ok: false, error: { kind: fault.kind, ...FAULT_SHAPES[fault.kind], message: `${name.data} failed` } };
      }
      const answer = services.answer(name.data, call.args);
      calls.push({ id, name: name.data, occurrence, args: call.args, outcome: answer });
      if (answer.ok) return answer;
      return { ok: false, error: { kind: "internal", status: 400, retryable: false, message: answer.rejected } };
    };
  });
  // Without an answer we cannot know what the handler looked at; assume it inspected every fault.
  const answered = raw.settlement.kind === "returned" || raw.settlement.kind === "threw";
  const inspectedFaults = answered ? raw.inspectedSeqs.flatMap((seq) => idBySeq.get(seq) ?? []) : faults.map((f) => f.call);
  return { fixtureId: fixture.id, faults, calls, settlement: raw.settlement, inspectedFaults };
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
      return { ...base, ...hint, status: "fail" as const, points: 0, message: "Your handler never answered (every execution crashed, hung or threw), so this rule could not be shown to hold." };
    }
    if (tally.failures.length === 0) {
      return { ...base, ...hint, status: "fail" as const, points: 0, message: "No execution reached the situation this rule is about, so it could not be shown to hold." };
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
      message: `${first.message} (fixture ${first.fixture.id}${first.judged.record.faults.length ? `, faults ${first.judged.record.faults.map((f) => `${f.call}=${f.kind}`).join(", ")}` : ", no faults"}; failed in ${count} of ${tally.checked} executions checked)`,
      counterexample: counterexampleOf(first.judged.record, expected, first.message),
    };
  });
}

/**
 * Grades a submission. Never throws for anything the submission does: compile errors are graded
 * with 0 points, a missing sandbox or an exploration bound gives an "error" result with the reason.
 */
export async function gradeCode(exercise: CodeExercise, source: string, options: CodeGradingOptions = {}): Promise<GradingResult> {
  const oracle = exercise.oracle;
  const ready = await startForGrading(source, CHECKOUT_PROFILE, options, { maxScore: maxScoreOf(oracle), failAll: (m) => failAllRules(oracle, m) });
  if (!ready.ok) return ready.result;
  const { runner, config, mode } = ready;
  const deadline = Date.now() + config.totalTimeoutMs;
  const tallies = new Map<string, RuleTally>();
  const tables: JsonValue[] = [];
  let executions = 0;
  let skipped = 0;
  try {
    // The fixtures are explored side by side: each search stays sequential and deterministic, and
    // their executions share the child's pipe writes. Results are read in the oracle's order.
    const explorations = await Promise.all(
      oracle.fixtures.map((fixture) =>
        explore((faults) => runOnce(runner, fixture, faults), oracle.faultKinds, {
          maxExecutions: config.maxExecutionsPerFixture,
          deadline,
          reduce: config.reduce,
        }),
      ),
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
          counterexampleOf(record, expectationFor(oracle, fixture, record.calls), checks.find((c) => !c.ok)?.message ?? ""),
        ),
      );
      if (!exploration.complete) {
        const details = { sandbox: mode, hostsLeased: runner.hostsLeased, faultSpace: tables };
        return {
          ...errorResult(
            maxScoreOf(oracle),
            `Exploration incomplete for fixture ${fixture.id}: ${exploration.incomplete ?? "stopped early"} (after ${exploration.executions.length} executions). No grade is given rather than a partial one.`,
            buildTests(oracle, tallies),
          ),
          executions,
          details,
        };
      }
    }
  } finally {
    await runner.close();
  }
  const details: JsonValue = { sandbox: mode, hostsLeased: runner.hostsLeased, skippedByReduction: skipped, faultSpace: tables };
  return finishResult(buildTests(oracle, tallies), { executions, details });
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
    if (!check.ok && !t.failures.some((f) => f.judged === judged)) t.failures.push({ judged, fixture, message: check.message });
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
export async function replayCounterexample(exercise: CodeExercise, source: string, counterexample: unknown, options: CodeGradingOptions = {}): Promise<Replay> {
  const key = counterexampleSchema.safeParse(counterexample);
  if (!key.success) {
    const issue = key.error.issues[0];
    throw new Error(`Not a counterexample: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid"}`);
  }
  const fixture = exercise.oracle.fixtures.find((f) => f.id === key.data.fixture);
  if (!fixture) throw new Error(`Not a counterexample of ${exercise.id}: unknown fixture "${key.data.fixture}"`);
  const oracle = exercise.oracle;
  const ready = await startForGrading(source, CHECKOUT_PROFILE, options, { maxScore: maxScoreOf(oracle), failAll: (m) => failAllRules(oracle, m) });
  if (!ready.ok) throw new Error(`Cannot replay: ${ready.result.error ?? ready.result.tests[0]?.message ?? "the submission could not run"}`);
  try {
    const record = await runOnce(ready.runner, fixture, key.data.faults);
    const checks = judgeExecution(exercise.oracle, fixture, record);
    return { record, checks, failing: [...new Set(checks.filter((c) => !c.ok).map((c) => c.rule))] };
  } finally {
    await ready.runner.close();
  }
}
