/**
 * The flag evaluations student code makes, answered the way an OpenFeature provider would
 * (https://openfeature.dev/specification/sections/flag-evaluation): the sandbox's `deps.flags` mirrors
 * the OpenFeature client (`getBooleanValue(flagKey, defaultValue, context)` and friends), so what
 * students learn here carries over to real flag systems. The one flag, `priority-rides`, is boolean
 * with targeting: employees (`context.employee === true`) are in whenever it is not off, and at a ramp
 * so is any rider whose `bucketOf(context.targetingKey)` is below the percentage. As in OpenFeature, an
 * evaluation that cannot be made (unknown flag, wrong type, no targeting key where a split needs one)
 * answers the caller's default value with an error code, never an exception: so the default the
 * student passes is what a misspelt flag turns on.
 *
 * `get(name)`, the raw flag state of the exercise's first version, still answers for code written
 * against it.
 *
 * `flagService` is self-contained (no imports, nothing from outside its body) because it runs in two
 * places from one text: here in the grader, and inside the sandbox, where ./session.ts answers each
 * evaluation itself while the grader records the call (see grader/code/README.md, "What the sandbox
 * may answer itself"). A call it refuses goes to the grader, which refuses it with the same words, so
 * the student's code gets a ServiceError as it would from any failed call.
 */
import type { JsonValue } from "../result";
import type { FlagState } from "./contract";

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

export type FlagAnswer = { ok: true; value: JsonValue } | { ok: false; message: string };

export interface FlagService {
  /** The one flag's name. */
  flagName: string;
  /** FNV-1a over "priority-rides:<id>", reduced to 0..99: a rider's bucket never changes. */
  bucketOf: (riderId: string) => number;
  /**
   * Answers one `deps.flags.<method>(...)` call, its arguments as they arrive in JSON, for an input
   * whose flag is in `state`.
   */
  answerFlagCall: (method: string, args: readonly JsonValue[], state: FlagState) => FlagAnswer;
}

export function flagService(): FlagService {
  "use strict";
  const flagName = "priority-rides";
  type ValueType = "boolean" | "string" | "number" | "object";
  const methods: Record<string, { type: ValueType; details: boolean }> = {
    getBooleanValue: { type: "boolean", details: false },
    getBooleanDetails: { type: "boolean", details: true },
    getStringValue: { type: "string", details: false },
    getStringDetails: { type: "string", details: true },
    getNumberValue: { type: "number", details: false },
    getNumberDetails: { type: "number", details: true },
    getObjectValue: { type: "object", details: false },
    getObjectDetails: { type: "object", details: true },
  };
  const isArray = Array.isArray;
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !isArray(value);
  const hasType = (value: unknown, type: ValueType): boolean =>
    type === "object"
      ? typeof value === "object" && value !== null
      : type === "number"
        ? typeof value === "number" && value - value === 0
        : typeof value === type;

  const imul = Math.imul;
  function bucketOf(riderId: string): number {
    const text = flagName + ":" + String(riderId);
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = imul(hash, 0x01000193) >>> 0;
    }
    return hash % 100;
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
    const answer = (value: boolean, reason: Reason): EvaluationDetails => ({
      flagKey,
      value,
      variant: value ? "on" : "off",
      reason,
      flagMetadata: {},
    });
    if (flagKey !== flagName) return fallback("FLAG_NOT_FOUND", 'no flag named "' + flagKey + '"');
    // As the OpenFeature SDK's providers do: the flag's targeting runs first (a bad context is an
    // error whatever the type asked for), then the value found is checked against the type asked for.
    // test/grader/dark-launch/openfeature-drift.test.ts holds the two to the same answers.
    const context = rawContext ?? {};
    if (!isObject(context) || (context["targetingKey"] !== undefined && typeof context["targetingKey"] !== "string"))
      return fallback(
        "INVALID_CONTEXT",
        "the evaluation context must be an object whose targetingKey, if given, is a string",
      );
    let decided: EvaluationDetails;
    if (state.mode === "off") decided = answer(false, "STATIC");
    else if (context["employee"] === true) decided = answer(true, "TARGETING_MATCH");
    else if (state.mode === "employees") decided = answer(false, "DEFAULT");
    else if (typeof context["targetingKey"] !== "string")
      return fallback("TARGETING_KEY_MISSING", "a percentage rollout needs a targetingKey in the evaluation context");
    else decided = answer(bucketOf(context["targetingKey"]) < state.percent, "SPLIT");
    if (type !== "boolean") return fallback("TYPE_MISMATCH", '"' + flagKey + '" is a boolean flag');
    return decided;
  }

  function answerFlagCall(method: string, args: readonly JsonValue[], state: FlagState): FlagAnswer {
    if (method === "get") {
      // Unknown flags are off, as in a real flag service: a misspelt name never turns anything on.
      const raw = args[0] === flagName ? { ...state } : { mode: "off" };
      return { ok: true, value: raw as unknown as JsonValue };
    }
    const spec = Object.prototype.hasOwnProperty.call(methods, method) ? methods[method] : undefined;
    if (!spec)
      return {
        ok: false,
        message:
          "flags." +
          method +
          " is not a flag evaluation method; use getBooleanValue(flagKey, defaultValue, context) or one of its siblings",
      };
    const usage = "flags." + method + "(flagKey, defaultValue, context): ";
    const [flagKey, defaultValue, context] = args;
    if (typeof flagKey !== "string") return { ok: false, message: usage + "flagKey must be a string" };
    if (!hasType(defaultValue, spec.type))
      return {
        ok: false,
        message: usage + "defaultValue must be " + (spec.type === "object" ? "an object or array" : "a " + spec.type),
      };
    const details = evaluate(flagKey, spec.type, defaultValue as JsonValue, context, state);
    return { ok: true, value: spec.details ? (details as unknown as JsonValue) : details.value };
  }

  return { flagName, bucketOf, answerFlagCall };
}

/** The grader's own copy: for the calls the sandbox passes on or answered, and for the judge's buckets. */
export const { bucketOf, answerFlagCall } = flagService();
