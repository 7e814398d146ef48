/**
 * Runs one student test against one implementation of the checkout service (the reference or a
 * mutant), answering the test's calls in the grader: `checkout` runs the service with the test's
 * mocks and flags, `expect` is evaluated here. The record is the grader's own observation.
 */
import { describeTimeout, type Settlement } from "../code/execution";
import type { SandboxRunner } from "../code/sandbox/runner";
import type { JsonValue } from "../result";
import { checkoutRequestSchema, flagStateSchema, mockConfigSchema } from "./contract";
import { evaluate, type Assertion, type Boxed } from "./matchers";
import { callsByName, mockConfigProblem, mockedDownstream } from "./mocks";
import type { MutantId } from "./mutants";
import { runCheckout } from "./service";

export interface TestRun {
  settlement: Settlement;
  assertions: Assertion[];
  checkouts: number;
}

const boxed = (value: JsonValue | undefined): Boxed => (typeof value === "object" && value !== null && !Array.isArray(value) && "v" in value ? { v: value["v"] } : {});

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

export async function runTest(runner: SandboxRunner, index: number, mutant: MutantId | undefined): Promise<TestRun> {
  let assertions: Assertion[] = [];
  let checkouts = 0;
  const raw = await runner.run({ index }, () => {
    // A fresh record per attempt: the runner runs a test again alone when the child failed with
    // several in flight, and only that attempt's assertions are the test's.
    assertions = [];
    checkouts = 0;
    return (call) => {
      if (call.service === "expect") {
        assertions.push(evaluate(call.method, boxed(call.args[0]), boxed(call.args[1]), call.args[2] === true));
        return { ok: true, value: null };
      }
      if (call.service === "service" && call.method === "checkout") {
        checkouts++;
        const refuse = (message: string) => ({ ok: false as const, error: { kind: "internal", status: 400, retryable: false, message } });
        const request = checkoutRequestSchema.safeParse(call.args[0]);
        if (!request.success) return refuse("checkout(request) needs { userId, cartId, idempotencyKey }, each a non-empty string");
        const config = mockConfigSchema.safeParse(call.args[1]);
        if (!config.success) return refuse("a mock was set to something other than returns(value) or fails(kind) with kind unavailable, timeout, internal or overloaded");
        const flags = flagStateSchema.safeParse(call.args[2]);
        if (!flags.success) return refuse("flags.set(name, on) takes a flag name and a boolean");
        const problem = mockConfigProblem(config.data);
        if (problem) return refuse(problem);
        const downstream = mockedDownstream(request.data, config.data);
        const response = runCheckout(request.data, flags.data, downstream.call, mutant);
        return { ok: true, value: { response, calls: callsByName(downstream.calls) } as unknown as JsonValue };
      }
      return { violation: `called ${call.service}.${call.method}, which the test API does not have` };
    };
  });
  return { settlement: raw.settlement, assertions, checkouts };
}
