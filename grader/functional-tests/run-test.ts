/**
 * Runs one student test against one implementation of the exercise's service (the reference or a
 * mutant), answering the test's calls in the grader: the subject's entry (`checkout`, `home`) runs the
 * service with the test's mocks and flags, `expect` is evaluated here. The record is the grader's own
 * observation.
 */
import { describeTimeout, type Settlement } from "../sandbox/settlement";
import type { SandboxRunner } from "../sandbox/runner";
import type { JsonValue } from "../result";
import { z } from "zod";
import { faultKindSchema } from "../code/contract";
import { flagStateSchema } from "./contract";
import { evaluate, type Assertion, type Boxed } from "./matchers";
import { callsByName, type Subject } from "./subject";

export interface TestRun {
  settlement: Settlement;
  assertions: Assertion[];
  /** How many times the test ran the service (named for the first subject, the checkout). */
  checkouts: number;
}

/** What the session sends as a test's mocks: per call, a value to return or a fault kind to fail with. */
const mockSettingSchema = z.union([
  z.strictObject({ returns: z.unknown() }),
  z.strictObject({ fails: faultKindSchema }),
]);

/** The input of one execution: which test, and what the session needs to build the subject's module. */
export function executionInput(subject: Subject, req: { list: true } | { index: number }): JsonValue {
  return { ...req, api: { module: subject.api.module, entry: subject.api.entry, calls: [...subject.api.calls] } };
}

const boxed = (value: JsonValue | undefined): Boxed =>
  typeof value === "object" && value !== null && !Array.isArray(value) && "v" in value ? { v: value["v"] } : {};

/**
 * A test the grader can call passing: it settled normally, made at least one assertion (a test that
 * checks nothing cannot pass, whatever the child says), and every assertion the grader evaluated held.
 */
export function passed(run: TestRun): boolean {
  return failureOf(run) === undefined;
}

/** Why a test did not pass, in one line. */
export function failureOf(run: TestRun): string | undefined {
  const failed = run.assertions.find((a) => !a.pass);
  if (failed) return failed.text;
  const s = run.settlement;
  if (s.kind === "returned") return run.assertions.length === 0 ? "the test made no assertion" : undefined;
  if (s.kind === "threw") return `the test threw: ${s.message}`;
  if (s.kind === "timeout") return describeTimeout(s, "the test");
  if (s.kind === "stuck") return "the test never finished (it waits on nothing)";
  return `the test crashed: ${s.detail}`;
}

export async function runTest(
  runner: SandboxRunner,
  subject: Subject,
  index: number,
  mutant: string | undefined,
): Promise<TestRun> {
  let assertions: Assertion[] = [];
  let checkouts = 0;
  const mockConfigSchema = z.partialRecord(z.enum(subject.api.calls as [string, ...string[]]), mockSettingSchema);
  const raw = await runner.run(executionInput(subject, { index }), () => {
    // A fresh record per attempt: the runner runs a test again alone when the child failed with
    // several in flight, and only that attempt's assertions are the test's.
    assertions = [];
    checkouts = 0;
    return (call) => {
      if (call.service === "expect") {
        assertions.push(evaluate(call.method, boxed(call.args[0]), boxed(call.args[1]), call.args[2] === true));
        return { ok: true, value: null };
      }
      if (call.service === "service" && call.method === subject.api.entry) {
        checkouts++;
        const refuse = (message: string) => ({
          ok: false as const,
          error: { kind: "internal", status: 400, retryable: false, message },
        });
        const request = subject.requestSchema.safeParse(call.args[0]);
        if (!request.success) return refuse(subject.requestHint);
        const config = mockConfigSchema.safeParse(call.args[1]);
        if (!config.success)
          return refuse(
            "a mock was set to something other than returns(value) or fails(kind) with kind unavailable, timeout, internal or overloaded",
          );
        const flags = flagStateSchema.safeParse(call.args[2]);
        if (!flags.success) return refuse("flags.set(name, on) takes a flag name and a boolean");
        const mocks: Record<string, { returns: unknown } | { fails: string }> = {};
        for (const [name, setting] of Object.entries(config.data)) {
          if (!setting) continue;
          const problem = "returns" in setting ? subject.mockProblem(name, setting.returns) : undefined;
          if (problem) return refuse(problem);
          mocks[name] = setting;
        }
        const { response, calls } = subject.run(request.data, flags.data, mocks, mutant);
        return { ok: true, value: { response, calls: callsByName(calls, subject.api.calls) } as unknown as JsonValue };
      }
      return { violation: `called ${call.service}.${call.method}, which the test API does not have` };
    };
  });
  return { settlement: raw.settlement, assertions, checkouts };
}
