/**
 * The service a functional-tests exercise's tests are written against (its *subject*): the checkout
 * service of the partial-failure lecture, or the home-page API gateway of the resilience lecture. The
 * grading is the same for both (run every test against the reference, then against each mutant); what
 * differs is data a subject supplies here: the module students import, the function a test calls, the
 * downstream calls it can mock and their contracts, and the reference service with its mutants.
 */
import type { z } from "zod";
import type { JsonValue } from "../result";

/** One downstream call as the mocks recorded it. */
export interface RecordedCall {
  call: string;
  args: JsonValue[];
  failed: boolean;
}

/** What the session inside the sandbox needs to build the module: sent with every execution's input. */
export interface SubjectApi {
  /** The module students import, e.g. "flagship:testing". */
  module: string;
  /** The function a test calls to run the service once, e.g. "checkout". */
  entry: string;
  /** The downstream calls a test can mock, as "service.method". */
  calls: readonly string[];
}

export interface Subject {
  api: SubjectApi;
  /** The service in words, for messages: "checkout service". */
  noun: string;
  /** What a test receives, as the starter writes it: "{ checkout, mocks, flags, expect }". */
  context: string;
  /** The ids of its mutants, each breaking one rule; mutants.yaml must describe every one. */
  mutantIds: readonly string[];
  /** Validates a test's request; `requestHint` says what a valid one looks like. */
  requestSchema: z.ZodType<JsonValue>;
  requestHint: string;
  /** A mock's value that breaks its downstream's contract, named the way the test wrote it. */
  mockProblem(call: string, value: unknown): string | undefined;
  /**
   * Runs the reference (no mutant) or one mutant once, with the test's request, flags and mocks
   * (`mocks[call]` is `{ returns }` or `{ fails: kind }`; unset calls answer the contract's default).
   */
  run(
    request: JsonValue,
    flags: Record<string, boolean>,
    mocks: Record<string, { returns: unknown } | { fails: string }>,
    mutant: string | undefined,
  ): { response: JsonValue; calls: RecordedCall[] };
}

/** The calls of one run grouped the way tests read them: `mocks.<service>.<method>.calls`. */
export function callsByName(calls: readonly RecordedCall[], names: readonly string[]): Record<string, JsonValue[][]> {
  const out: Record<string, JsonValue[][]> = {};
  for (const name of names) out[name] = calls.filter((c) => c.call === name).map((c) => c.args);
  return out;
}
