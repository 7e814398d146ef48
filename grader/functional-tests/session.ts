/**
 * The functional-tests exercise's side of the sandbox (see grader/sandbox/session.ts): provides
 * the subject's module (`flagship:testing` for the checkout, `flagship:gateway-testing` for the
 * gateway: { test, it, describe }) to the student's test file. Loading the file registers its tests;
 * the grader then asks for the list (`{ list: true }`) and runs one test per execution (`{ index }`),
 * each input naming the module, the entry function and the mockable calls (`api`, see ./subject.ts).
 * Inside a test, the entry (`checkout(request)`, `home(request)`) and every `expect(...)` are calls to
 * the grader: the service (the reference or a mutant; the child cannot tell which) runs in the grader
 * with the mocks and flags the test set, and every assertion is evaluated there. Shipped as text, so
 * self-contained.
 */
import type { Session, SessionEnv } from "../sandbox/session";

export function testingSession(env: SessionEnv): Session {
  "use strict";
  const req = (env.req ?? {}) as {
    list?: boolean;
    index?: number;
    api?: { module?: unknown; entry?: unknown; calls?: unknown };
  };
  const api = req.api ?? {};
  const moduleName = typeof api.module === "string" ? api.module : "flagship:testing";
  const entry = typeof api.entry === "string" ? api.entry : "checkout";
  const tests: { name: string; fn: unknown }[] = [];
  const prefix: string[] = [];
  const test = (name: unknown, fn: unknown): void => {
    if (tests.length < 50) tests.push({ name: [...prefix, String(name)].join(" > ").slice(0, 200), fn });
  };
  const describe = (name: unknown, body: unknown): void => {
    prefix.push(String(name));
    try {
      if (typeof body === "function") body();
    } finally {
      prefix.pop();
    }
  };

  const callNames = Array.isArray(api.calls) ? api.calls.map(String) : [];
  const config: Record<string, unknown> = {};
  const flagState: Record<string, boolean> = {};
  const mocks: Record<
    string,
    Record<string, { returns(value: unknown): void; fails(kind?: string): void; calls: unknown[][] }>
  > = {};
  for (const name of callNames) {
    const [service = "", method = ""] = name.split(".");
    const mock = {
      returns(value: unknown) {
        config[name] = { returns: value === undefined ? null : value };
      },
      fails(kind?: string) {
        config[name] = { fails: kind === undefined ? "unavailable" : kind };
      },
      calls: [] as unknown[][],
    };
    mocks[service] = { ...(mocks[service] ?? {}), [method]: mock };
  }
  const flags = {
    set(name: unknown, on: unknown) {
      flagState[String(name)] = on === true;
    },
  };
  const runService = async (request: unknown): Promise<unknown> => {
    const answer = (await env.call("service", entry, [request === undefined ? null : request, config, flagState])) as {
      response: unknown;
      calls: Record<string, unknown[][]>;
    };
    for (const name of callNames) {
      const [service = "", method = ""] = name.split(".");
      const mock = mocks[service]?.[method];
      if (mock) mock.calls = answer.calls[name] ?? [];
    }
    return answer.response;
  };
  // Undefined does not survive JSON, so values travel boxed: { v } or {} for undefined.
  const box = (value: unknown) => (value === undefined ? {} : { v: value });
  const matchers = (actual: unknown, negated: boolean) => {
    const assert = (matcher: string, expected?: unknown) => {
      env.call("expect", matcher, [box(actual), box(expected), negated]).catch(() => undefined);
    };
    return {
      toBe: (e: unknown) => assert("toBe", e),
      toEqual: (e: unknown) => assert("toEqual", e),
      toStrictEqual: (e: unknown) => assert("toEqual", e),
      toMatchObject: (e: unknown) => assert("toMatchObject", e),
      toContain: (e: unknown) => assert("toContain", e),
      toHaveLength: (e: unknown) => assert("toHaveLength", e),
      toBeGreaterThan: (e: unknown) => assert("toBeGreaterThan", e),
      toBeLessThan: (e: unknown) => assert("toBeLessThan", e),
      toBeUndefined: () => assert("toBeUndefined"),
      toBeDefined: () => assert("toBeDefined"),
      toBeNull: () => assert("toBeNull"),
      toBeTruthy: () => assert("toBeTruthy"),
      toBeFalsy: () => assert("toBeFalsy"),
    };
  };
  const expect = (actual: unknown) => ({ ...matchers(actual, false), not: matchers(actual, true) });

  return {
    moduleName,
    provided: { test, it: test, describe },
    invoke() {
      if (req.list) return tests.map((t) => t.name);
      const chosen = tests[typeof req.index === "number" ? req.index : -1];
      if (!chosen || typeof chosen.fn !== "function") throw new Error("no such test");
      return Promise.resolve(chosen.fn({ [entry]: runService, mocks, flags, expect })).then(() => null);
    },
  };
}
