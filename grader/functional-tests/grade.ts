/**
 * Grades one file of functional tests: load it in the sandbox to list its tests, run each against the
 * reference service of the exercise's subject (each must pass), then run the ones that pass against every mutant. A
 * mutant is killed when a test that passes against the reference fails against it; the score is the
 * reference points plus the points of the mutants killed. Every verdict comes from the grader's own
 * record (assertions it evaluated, how each run settled), never from the child.
 */
import { z } from "zod";
import type { CodeGradingOptions } from "../sandbox/config";
import { InfrastructureFailure } from "../sandbox/runner";
import { machineryFailedResult, runAllWithin, startForGrading } from "../sandbox/start";
import type { SandboxProfile } from "../sandbox/session";
import { finishResult, type GradingResult, type JsonValue, type TestResult } from "../result";
import type { FunctionalTestsOracle, MutantSpec } from "./oracle-schema";
import { executionInput, failureOf, passed, runTest, type TestRun } from "./run-test";
import { testingSession } from "./session";
import type { Subject } from "./subject";
import { subjectOf } from "./subjects";

export interface FunctionalTestsExercise {
  id: string;
  oracle: FunctionalTestsOracle;
}

/** The sandbox profile of a subject: one session for every subject, told by each input which module to build. */
export const profileFor = (subject: Subject): SandboxProfile => ({
  moduleName: subject.api.module,
  session: testingSession,
});

const REFERENCE_ID = "reference-passes";
const testNamesSchema = z.array(z.string().max(200)).max(50);

const maxScoreOf = (oracle: FunctionalTestsOracle) =>
  oracle.reference.points + oracle.mutants.reduce((s, m) => s + m.points, 0);

function linkOf(link: string | undefined) {
  return link ? { link } : {};
}

/** Every test fails with the same message: the file did not compile, did not load, or has no tests. */
function failAll(oracle: FunctionalTestsOracle, message: string): TestResult[] {
  const ref = oracle.reference;
  return [
    {
      id: REFERENCE_ID,
      name: ref.name,
      status: "fail",
      points: 0,
      maxPoints: ref.points,
      message,
      ...(ref.hint ? { hint: ref.hint } : {}),
      ...linkOf(ref.link),
    },
    ...oracle.mutants.map((m): TestResult => ({
      id: m.id,
      name: `Catches: ${m.behaviour}`,
      status: "fail",
      points: 0,
      maxPoints: m.points,
      message,
      hint: m.hint,
      link: m.link,
    })),
  ];
}

/** One run of the student's test at `index`, against the correct service or a mutant. */
interface TestJob {
  index: number;
  mutant: MutantSpec | undefined;
}

export async function gradeFunctionalTests(
  exercise: FunctionalTestsExercise,
  source: string,
  options: CodeGradingOptions = {},
): Promise<GradingResult> {
  const { oracle } = exercise;
  const subject = subjectOf(oracle);
  const entry = subject.api.entry;
  // A test makes a few service calls and a handful of assertions, each one call to the grader.
  const started = await startForGrading(
    source,
    profileFor(subject),
    { maxCallsPerExecution: 400, ...options },
    {
      maxScore: maxScoreOf(oracle),
      failAll: (message) => failAll(oracle, message),
    },
  );
  if (!started.ok) return started.result;
  const { runner, mode, config } = started;
  const deadline = Date.now() + config.totalTimeoutMs;
  let executions = 0;
  /** Runs the tests at once (runAllWithin); each run is a fresh module instance, so the outcomes are those of running them one by one. */
  const runAll = (jobs: TestJob[]): Promise<TestRun[]> =>
    runAllWithin({ deadline, totalTimeoutMs: config.totalTimeoutMs }, jobs, async ({ index, mutant }) => {
      const outcome = await runTest(runner, subject, index, mutant?.id);
      executions++;
      return outcome;
    });
  try {
    executions++;
    const listing = await runner.run(executionInput(subject, { list: true }), () => (call) => ({
      violation: `called ${call.service}.${call.method} while the file was loading; call ${entry} and expect inside a test`,
    }));
    if (listing.settlement.kind !== "returned") {
      const why = failureOf({ settlement: listing.settlement, assertions: [], checkouts: 0 }) ?? "";
      return finishResult(
        failAll(
          oracle,
          `Your test file failed while loading, before any test ran (${why.replace(/^the test /, "it ")}).`,
        ),
        { executions, details: { sandbox: mode } },
      );
    }
    const names = testNamesSchema.safeParse(listing.settlement.value);
    if (!names.success || names.data.length === 0) {
      return finishResult(
        failAll(
          oracle,
          `Your file registers no tests: call test(name, async (${subject.context}) => { ... }) at the top level.`,
        ),
        { executions, details: { sandbox: mode, tests: [] } },
      );
    }
    const testNames = names.data;
    const againstReference = await runAll(testNames.map((_, index) => ({ index, mutant: undefined })));
    // A test that fails against the correct service tells nothing about a mutant.
    const mutantJobs = oracle.mutants.flatMap((mutant) =>
      againstReference.flatMap((reference, index) => (passed(reference) ? [{ index, mutant }] : [])),
    );
    const outcomes = await runAll(mutantJobs);
    const kills = new Map<string, { index: number; failure: string }[]>(oracle.mutants.map((m) => [m.id, []]));
    for (const [k, { index, mutant }] of mutantJobs.entries()) {
      const outcome = outcomes[k];
      if (outcome && !passed(outcome)) kills.get(mutant.id)?.push({ index, failure: failureOf(outcome) ?? "failed" });
    }
    const tests = [
      referenceTest(oracle, subject, testNames, againstReference),
      ...oracle.mutants.map((m) => mutantTest(m, testNames, kills.get(m.id) ?? [])),
    ];
    return finishResult(tests, {
      executions,
      details: { sandbox: mode, ...suiteDetails(oracle, testNames, againstReference, kills) },
    });
  } catch (error) {
    if (error instanceof InfrastructureFailure) return machineryFailedResult(maxScoreOf(oracle), error);
    throw error;
  } finally {
    await runner.close();
  }
}

function referenceTest(oracle: FunctionalTestsOracle, subject: Subject, names: string[], runs: TestRun[]): TestResult {
  const ref = oracle.reference;
  const base = { id: REFERENCE_ID, name: ref.name, maxPoints: ref.points, ...linkOf(ref.link) };
  const failing = runs
    .map((r, i) => ({ name: names[i] ?? `test ${i + 1}`, failure: failureOf(r), run: r }))
    .filter((f) => f.failure !== undefined);
  const first = failing[0];
  if (!first)
    return {
      ...base,
      status: "pass",
      points: ref.points,
      message: `${ref.passMessage} (${runs.length} test${runs.length === 1 ? "" : "s"}.)`,
    };
  const counterexample: JsonValue = {
    test: first.name,
    failure: first.failure ?? "",
    assertions: first.run.assertions.map((a) => ({ assertion: a.text, pass: a.pass })),
  };
  return {
    ...base,
    ...(ref.hint ? { hint: ref.hint } : {}),
    status: "fail",
    points: 0,
    message: `${failing.length} of ${runs.length} tests fail against the correct ${subject.noun}, so they cannot catch anything. First: "${first.name}": ${first.failure}.`,
    counterexample,
  };
}

function mutantTest(mutant: MutantSpec, names: string[], killers: { index: number; failure: string }[]): TestResult {
  const base = { id: mutant.id, name: `Catches: ${mutant.behaviour}`, maxPoints: mutant.points, link: mutant.link };
  const first = killers[0];
  if (!first) {
    return {
      ...base,
      status: "fail",
      points: 0,
      hint: mutant.hint,
      message: `No test told the correct service apart from one where ${mutant.behaviour}: every test that passes against the correct service also passes against it.`,
    };
  }
  const others = killers.length > 1 ? ` (and ${killers.length - 1} other test${killers.length === 2 ? "" : "s"})` : "";
  return {
    ...base,
    status: "pass",
    points: mutant.points,
    message: `Caught by "${names[first.index] ?? ""}"${others}: against a service where ${mutant.behaviour}, ${first.failure}.`,
  };
}

/** The student's own test results and which mutants each caught, for the result page. */
function suiteDetails(
  oracle: FunctionalTestsOracle,
  names: string[],
  runs: TestRun[],
  kills: Map<string, { index: number }[]>,
): Record<string, JsonValue> {
  const tests: JsonValue[] = names.map((name, i) => {
    const r = runs[i];
    const failure = r ? failureOf(r) : "not run";
    return {
      name,
      status: failure === undefined ? "pass" : "fail",
      ...(failure !== undefined ? { failure } : {}),
      assertions: r?.assertions.length ?? 0,
      checkouts: r?.checkouts ?? 0,
      caught: oracle.mutants.filter((m) => (kills.get(m.id) ?? []).some((k) => k.index === i)).map((m) => m.id),
    };
  });
  const mutants: JsonValue[] = oracle.mutants.map((m) => ({
    id: m.id,
    behaviour: m.behaviour,
    caught: (kills.get(m.id) ?? []).length > 0,
  }));
  const caught = oracle.mutants.filter((m) => (kills.get(m.id) ?? []).length > 0).length;
  return { tests, mutants, mutantsCaught: caught, mutantsTotal: oracle.mutants.length };
}
