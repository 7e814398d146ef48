/**
 * The dark-launch exercise's side of the sandbox (see grader/sandbox/session.ts): provides
 * `flagship:rides` ({ bucketOf, ServiceError }) and calls the student's `quoteRide(req, deps)`, where
 * `deps.flags` is an OpenFeature-style client (`getBooleanValue(flagKey, defaultValue, context)` and
 * its siblings, plus the first version's `get(name)`; answered by ./flag-client.ts) and
 * `deps.pricing.*` are calls the grader answers and records. Shipped as text, so
 * self-contained. `Math.random` is seeded from the grader's per-execution seed (see `Session.seed`) so
 * that even a handler that (wrongly) ramps at random grades the same way every time.
 */
import type { Session, SessionEnv } from "../sandbox/session";

export function ridesSession(env: SessionEnv): Session {
  "use strict";
  const req = (env.req ?? {}) as { input?: unknown; seed?: number };
  // Must stay identical to bucketOf in ./contract.ts.
  const bucketOf = (riderId: string): number => {
    const text = "priority-rides:" + String(riderId);
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % 100;
  };
  // Mirrors the OpenFeature client's evaluation methods; must stay in step with ./flag-client.ts.
  const flags: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const type of ["Boolean", "String", "Number", "Object"]) {
    for (const form of ["Value", "Details"]) {
      const method = "get" + type + form;
      // Undefined does not survive JSON: a missing context travels as an empty one.
      flags[method] = (flagKey: unknown, defaultValue: unknown, context?: unknown) =>
        env.call("flags", method, [
          flagKey === undefined ? null : flagKey,
          defaultValue === undefined ? null : defaultValue,
          context === undefined ? {} : context,
        ]);
    }
  }
  flags["get"] = (name: unknown) => env.call("flags", "get", [name]);
  const deps = {
    flags,
    pricing: {
      standardQuote: (trip: unknown) => env.call("pricing", "standardQuote", [trip]),
      priorityQuote: (trip: unknown) => env.call("pricing", "priorityQuote", [trip]),
    },
  };
  return {
    moduleName: "flagship:rides",
    provided: { bucketOf, ServiceError: env.ServiceError },
    ...(typeof req.seed === "number" ? { seed: req.seed } : {}),
    invoke(exports) {
      const quoteRide = exports["quoteRide"];
      if (typeof quoteRide !== "function") throw new Error("the module does not export a quoteRide function");
      return quoteRide(req.input, deps);
    },
  };
}
