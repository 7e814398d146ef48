/**
 * The flag evaluations student code makes, answered in the trusted grader the way an OpenFeature
 * provider would (https://openfeature.dev/specification/sections/flag-evaluation): the sandbox's
 * `deps.flags` mirrors the OpenFeature client (`getBooleanValue(flagKey, defaultValue, context)` and
 * friends), so what students learn here carries over to real flag systems. The one flag,
 * `priority-rides`, is boolean with targeting: employees (`context.employee === true`) are in whenever
 * it is not off, and at a ramp so is any rider whose `bucketOf(context.targetingKey)` is below the
 * percentage. As in OpenFeature, an evaluation that cannot be made (unknown flag, wrong type, no
 * targeting key where a split needs one) answers the caller's default value with an error code, never
 * an exception: so the default the student passes is what a misspelt flag turns on.
 *
 * `get(name)`, the raw flag state of the exercise's first version, still answers for code written
 * against it.
 */
import { z } from "zod";
import type { JsonValue } from "../result";
import { bucketOf, FLAG_NAME, type FlagState } from "./contract";

export type ErrorCode = "FLAG_NOT_FOUND" | "TYPE_MISMATCH" | "TARGETING_KEY_MISSING" | "INVALID_CONTEXT";
export type Reason = "STATIC" | "TARGETING_MATCH" | "SPLIT" | "DEFAULT" | "ERROR";

export interface EvaluationDetails {
  flagKey: string;
  value: JsonValue;
  variant?: string;
  reason: Reason;
  errorCode?: ErrorCode;
  errorMessage?: string;
  flagMetadata: Record<string, never>;
}

type ValueType = "boolean" | "string" | "number" | "object";
const METHODS: Record<string, { type: ValueType; details: boolean }> = {
  getBooleanValue: { type: "boolean", details: false },
  getBooleanDetails: { type: "boolean", details: true },
  getStringValue: { type: "string", details: false },
  getStringDetails: { type: "string", details: true },
  getNumberValue: { type: "number", details: false },
  getNumberDetails: { type: "number", details: true },
  getObjectValue: { type: "object", details: false },
  getObjectDetails: { type: "object", details: true },
};

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
const defaultSchemas: Record<ValueType, z.ZodType<JsonValue>> = {
  boolean: z.boolean(),
  string: z.string(),
  number: z.number(),
  object: z.union([z.array(jsonValue), z.record(z.string(), jsonValue)]),
};
/** An evaluation context: attributes by name, the targeting key a string when given. */
const contextSchema = z.looseObject({ targetingKey: z.string().optional() });

export type FlagAnswer = { ok: true; value: JsonValue } | { ok: false; message: string };

/** Answers one `deps.flags.<method>(...)` call for an input whose `priority-rides` flag is in `state`. */
export function answerFlagCall(method: string, args: readonly JsonValue[], state: FlagState): FlagAnswer {
  if (method === "get") {
    // Unknown flags are off, as in a real flag service: a misspelt name never turns anything on.
    return { ok: true, value: (args[0] === FLAG_NAME ? state : { mode: "off" }) as unknown as JsonValue };
  }
  const spec = METHODS[method];
  if (!spec)
    return {
      ok: false,
      message: `flags.${method} is not a flag evaluation method; use getBooleanValue(flagKey, defaultValue, context) or one of its siblings`,
    };
  const [flagKey, defaultValue, context] = args;
  if (typeof flagKey !== "string")
    return { ok: false, message: `flags.${method}(flagKey, defaultValue, context): flagKey must be a string` };
  if (!defaultSchemas[spec.type].safeParse(defaultValue).success)
    return {
      ok: false,
      message: `flags.${method}(flagKey, defaultValue, context): defaultValue must be ${spec.type === "object" ? "an object or array" : `a ${spec.type}`}`,
    };
  const details = evaluate(flagKey, spec.type, defaultValue as JsonValue, context, state);
  return { ok: true, value: spec.details ? (details as unknown as JsonValue) : details.value };
}

function evaluate(
  flagKey: string,
  type: ValueType,
  defaultValue: JsonValue,
  rawContext: JsonValue | undefined,
  state: FlagState,
): EvaluationDetails {
  const fallback = (errorCode: ErrorCode, errorMessage: string): EvaluationDetails => ({
    flagKey,
    value: defaultValue,
    reason: "ERROR",
    errorCode,
    errorMessage,
    flagMetadata: {},
  });
  if (flagKey !== FLAG_NAME) return fallback("FLAG_NOT_FOUND", `no flag named "${flagKey}"`);
  // As the OpenFeature SDK's providers do: the flag's targeting runs first (a bad context is an error
  // whatever the type asked for), then the value found is checked against the type asked for.
  // test/grader/dark-launch/openfeature-drift.test.ts holds the two to the same answers.
  const decided = target(flagKey, rawContext, state, fallback);
  if (decided.errorCode === undefined && type !== "boolean")
    return fallback("TYPE_MISMATCH", `"${flagKey}" is a boolean flag`);
  return decided;
}

/** The flag's targeting rules: employees, then the ramp's split on the targeting key. */
function target(
  flagKey: string,
  rawContext: JsonValue | undefined,
  state: FlagState,
  fallback: (errorCode: ErrorCode, errorMessage: string) => EvaluationDetails,
): EvaluationDetails {
  const parsed = contextSchema.safeParse(rawContext ?? {});
  if (!parsed.success)
    return fallback(
      "INVALID_CONTEXT",
      "the evaluation context must be an object whose targetingKey, if given, is a string",
    );
  const context = parsed.data;
  const answer = (value: boolean, reason: Reason): EvaluationDetails => ({
    flagKey,
    value,
    variant: value ? "on" : "off",
    reason,
    flagMetadata: {},
  });
  if (state.mode === "off") return answer(false, "STATIC");
  if (context["employee"] === true) return answer(true, "TARGETING_MATCH");
  if (state.mode === "employees") return answer(false, "DEFAULT");
  if (context.targetingKey === undefined)
    return fallback("TARGETING_KEY_MISSING", "a percentage rollout needs a targetingKey in the evaluation context");
  return answer(bucketOf(context.targetingKey) < state.percent, "SPLIT");
}
