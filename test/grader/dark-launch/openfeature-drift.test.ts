/**
 * Mock drift, applied to ourselves: the dark-launch exercise's flag client mirrors the OpenFeature
 * client API (its sandbox side, grader/dark-launch/session.ts, answering by flag-client.ts). This
 * runs the same evaluations through the real @openfeature/server-sdk client, with its InMemoryProvider
 * holding the exercise's flag rules, and through the mirror, and requires them to agree on values,
 * variants, the caller's default whenever an evaluation cannot be made, error codes and the shape of
 * the evaluation details. The SDK is a dev dependency: grading never loads it.
 *
 * One difference is by design: the InMemoryProvider reports TARGETING_MATCH for anything its context
 * evaluator decides, where the mirror names the rule that decided (STATIC when the flag is off,
 * DEFAULT for a rider outside the employee targeting, SPLIT for a ramp), as vendors' providers do.
 * Both must be standard OpenFeature reasons.
 */
import {
  InMemoryProvider,
  InvalidContextError,
  OpenFeature,
  StandardResolutionReasons,
  TargetingKeyMissingError,
  type Client,
  type EvaluationContext,
} from "@openfeature/server-sdk";
import { describe, expect, it } from "vitest";
import { bucketOf, FLAG_NAME, type FlagState } from "../../../grader/dark-launch/contract";
import { answerFlagCall, flagService } from "../../../grader/dark-launch/flag-client";
import { pricingService } from "../../../grader/dark-launch/pricing";
import { ridesSession } from "../../../grader/dark-launch/session";
import type { JsonValue } from "../../../grader/result";

type Method =
  | "getBooleanValue"
  | "getBooleanDetails"
  | "getStringValue"
  | "getStringDetails"
  | "getNumberValue"
  | "getNumberDetails"
  | "getObjectValue"
  | "getObjectDetails";
type Evaluate = (flagKey: string, defaultValue: JsonValue, context?: EvaluationContext) => Promise<unknown>;

/** The exercise's flag rules as an OpenFeature InMemoryProvider evaluates them. */
function providerFor(state: FlagState): InMemoryProvider {
  return new InMemoryProvider({
    [FLAG_NAME]: {
      variants: { on: true, off: false },
      defaultVariant: "off",
      disabled: false,
      contextEvaluator: (context: EvaluationContext) => {
        const key = context.targetingKey as unknown;
        if (key !== undefined && typeof key !== "string")
          throw new InvalidContextError("the evaluation context's targetingKey must be a string");
        if (state.mode === "off") return "off";
        if (context["employee"] === true) return "on";
        if (state.mode === "employees") return "off";
        if (key === undefined) throw new TargetingKeyMissingError("a percentage rollout needs a targetingKey");
        return bucketOf(key) < state.percent ? "on" : "off";
      },
    },
  });
}

let domains = 0;
async function realClient(state: FlagState): Promise<Client> {
  const domain = `drift-${domains++}`;
  await OpenFeature.setProviderAndWait(domain, providerFor(state));
  return OpenFeature.getClient(domain);
}

/**
 * The `deps.flags` the student's code gets in the sandbox. Its calls travel as guest.ts sends them
 * (through JSON) and are answered in the session as the sandbox answers them; a call the session
 * passes on is refused by the grader's copy of the same rules. Every evaluation the SDK can make must
 * be answered in the session: `passedOn` counts those that were not.
 */
async function mirrorClient(state: FlagState): Promise<{ flags: Record<string, Evaluate>; passedOn: () => number }> {
  let passedOn = 0;
  const session = ridesSession(
    {
      req: { input: null, seed: 1, flag: state },
      call: (service, method, args, answerHere) => {
        expect(service).toBe("flags");
        const sent = JSON.parse(JSON.stringify(args)) as JsonValue[];
        const here = answerHere?.(sent);
        if (here) return Promise.resolve(JSON.parse(JSON.stringify(here.value)));
        passedOn++;
        const answer = answerFlagCall(method, sent, state);
        return answer.ok ? Promise.resolve(answer.value) : Promise.reject(new Error(answer.message));
      },
      ServiceError: Error,
    },
    { flags: flagService(), pricing: pricingService() },
  );
  const deps = (await session.invoke({ quoteRide: (_input: unknown, d: unknown) => d })) as {
    flags: Record<string, Evaluate>;
  };
  return { flags: deps.flags, passedOn: () => passedOn };
}

const ids = Array.from({ length: 200 }, (_, i) => `rider-${i}`);
const inside = ids.find((id) => bucketOf(id) < 30) as string;
const outside = ids.find((id) => bucketOf(id) >= 30) as string;

const STATES: FlagState[] = [
  { mode: "off" },
  { mode: "employees" },
  { mode: "ramp", percent: 0 },
  { mode: "ramp", percent: 30 },
  { mode: "ramp", percent: 100 },
];
const CONTEXTS: (EvaluationContext | undefined)[] = [
  { targetingKey: inside },
  { targetingKey: outside },
  { targetingKey: outside, employee: true },
  { employee: true },
  {},
  undefined,
  { targetingKey: 42 } as unknown as EvaluationContext,
];
const CALLS: [Method, string, JsonValue][] = [
  ["getBooleanValue", FLAG_NAME, false],
  ["getBooleanValue", FLAG_NAME, true],
  ["getBooleanDetails", FLAG_NAME, false],
  ["getBooleanDetails", FLAG_NAME, true],
  ["getBooleanDetails", "priority_rides", true],
  ["getBooleanValue", "priority_rides", true],
  ["getStringDetails", FLAG_NAME, "on"],
  ["getStringValue", FLAG_NAME, "on"],
  ["getNumberDetails", FLAG_NAME, 1],
  ["getNumberValue", FLAG_NAME, 1],
  ["getObjectDetails", FLAG_NAME, { on: true }],
  ["getObjectValue", FLAG_NAME, []],
];

const REASONS = new Set<string>(Object.values(StandardResolutionReasons));

/** What must agree between the two: everything but the reason's name and the words of an error message. */
function comparable(value: unknown): unknown {
  if (typeof value !== "object" || value === null || !("flagKey" in value)) return value;
  const { reason, errorMessage, ...rest } = value as unknown as { reason: string; errorMessage?: string };
  return {
    ...rest,
    keys: Object.keys(value).sort(),
    reasonIsStandard: REASONS.has(reason),
    reasonIsError: reason === "ERROR",
    // The SDK's TypeMismatchError carries an empty message; the mirror says what was expected.
    errorMessageIsText: typeof errorMessage === "string",
  };
}

describe("the sandbox's flag client against the real OpenFeature SDK", () => {
  it("agrees on every value, variant, default, error code and details shape", async () => {
    let compared = 0;
    for (const state of STATES) {
      const real = await realClient(state);
      const { flags: mirror, passedOn } = await mirrorClient(state);
      for (const context of CONTEXTS) {
        for (const [method, flagKey, defaultValue] of CALLS) {
          const label = `${method}(${flagKey}, ${JSON.stringify(defaultValue)}, ${JSON.stringify(context)}) with ${JSON.stringify(state)}`;
          const evaluate = real[method].bind(real) as unknown as Evaluate;
          const fromSdk = JSON.parse(JSON.stringify(await evaluate(flagKey, defaultValue, context))) as unknown;
          const fromMirror = await (mirror[method] as Evaluate)(flagKey, defaultValue, context);
          expect(comparable(fromMirror), label).toEqual(comparable(fromSdk));
          compared++;
        }
      }
      expect(passedOn(), `evaluations passed on to the grader with ${JSON.stringify(state)}`).toBe(0);
    }
    expect(compared).toBe(STATES.length * CONTEXTS.length * CALLS.length);
  });

  it("names the same error codes for the evaluations that cannot be made", async () => {
    const real = await realClient({ mode: "ramp", percent: 30 });
    const { flags: mirror } = await mirrorClient({ mode: "ramp", percent: 30 });
    const cases: [Method, string, JsonValue, EvaluationContext | undefined, string][] = [
      ["getBooleanDetails", "priority_rides", true, { targetingKey: inside }, "FLAG_NOT_FOUND"],
      ["getStringDetails", FLAG_NAME, "on", { targetingKey: inside }, "TYPE_MISMATCH"],
      ["getBooleanDetails", FLAG_NAME, true, {}, "TARGETING_KEY_MISSING"],
      ["getBooleanDetails", FLAG_NAME, true, { targetingKey: 42 } as unknown as EvaluationContext, "INVALID_CONTEXT"],
    ];
    for (const [method, flagKey, defaultValue, context, code] of cases) {
      const evaluate = real[method].bind(real) as unknown as Evaluate;
      const expected = { value: defaultValue, reason: "ERROR", errorCode: code };
      expect(await evaluate(flagKey, defaultValue, context), code).toMatchObject(expected);
      expect(await (mirror[method] as Evaluate)(flagKey, defaultValue, context), code).toMatchObject(expected);
    }
  });
});
