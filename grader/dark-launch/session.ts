/**
 * The dark-launch exercise's side of the sandbox (see grader/sandbox/session.ts): provides
 * `flagship:rides` ({ bucketOf, ServiceError }) and calls the student's `quoteRide(req, deps)`, where
 * `deps.flags` is an OpenFeature-style client (`getBooleanValue(flagKey, defaultValue, context)` and
 * its siblings, plus the first version's `get(name)`) and `deps.pricing.*` are calls the grader
 * records. Both are answered here in the sandbox, by the rules of the session's library
 * (./flag-client.ts's `flagService`, for the flag state the grader sends with the input, and
 * ./pricing.ts's `pricingService`), which the grader holds too. Shipped as text, so self-contained.
 * `Math.random` is seeded from the grader's per-execution seed (see `Session.seed`) so that even a
 * handler that (wrongly) ramps at random grades the same way every time.
 */
import type { Session, SessionEnv } from "../sandbox/session";
import type { JsonValue } from "../result";
import type { FlagState } from "./contract";
import type { FlagService } from "./flag-client";
import type { PricingService } from "./pricing";

/** The self-contained rules the session answers calls by: the same ones the grader holds. */
export interface RidesLibrary {
  flags: FlagService;
  pricing: PricingService;
}

export function ridesSession(env: SessionEnv, library: RidesLibrary): Session {
  "use strict";
  const req = (env.req ?? {}) as { input?: unknown; seed?: number; flag?: FlagState };
  const flag: FlagState = req.flag ?? { mode: "off" };
  // Answered here when the rules answer the call; passed to the grader, which refuses it with the same
  // words, when they do not. The grader records every call either way.
  const evaluation =
    (method: string) =>
    (args: unknown[]): { value: unknown } | undefined => {
      const answer = library.flags.answerFlagCall(method, args as JsonValue[], flag);
      return answer.ok ? { value: answer.value } : undefined;
    };
  const quote =
    (method: string) =>
    (args: unknown[]): { value: unknown } | undefined => {
      const answer = library.pricing.answerPricing(method, args as JsonValue[]);
      return answer.ok ? { value: answer.value } : undefined;
    };
  // Mirrors the OpenFeature client's evaluation methods.
  const flags: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const type of ["Boolean", "String", "Number", "Object"]) {
    for (const form of ["Value", "Details"]) {
      const method = "get" + type + form;
      // Undefined does not survive JSON: a missing context travels as an empty one.
      flags[method] = (flagKey: unknown, defaultValue: unknown, context?: unknown) =>
        env.call(
          "flags",
          method,
          [
            flagKey === undefined ? null : flagKey,
            defaultValue === undefined ? null : defaultValue,
            context === undefined ? {} : context,
          ],
          evaluation(method),
        );
    }
  }
  flags["get"] = (name: unknown) => env.call("flags", "get", [name], evaluation("get"));
  const deps = {
    flags,
    pricing: {
      standardQuote: (trip: unknown) => env.call("pricing", "standardQuote", [trip], quote("standardQuote")),
      priorityQuote: (trip: unknown) => env.call("pricing", "priorityQuote", [trip], quote("priorityQuote")),
    },
  };
  return {
    moduleName: "flagship:rides",
    provided: { bucketOf: library.flags.bucketOf, ServiceError: env.ServiceError },
    ...(typeof req.seed === "number" ? { seed: req.seed } : {}),
    invoke(exports) {
      const quoteRide = exports["quoteRide"];
      if (typeof quoteRide !== "function") throw new Error("the module does not export a quoteRide function");
      return quoteRide(req.input, deps);
    },
  };
}
