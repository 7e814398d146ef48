/**
 * The assertions of the student's tests, evaluated in the trusted grader: the sandbox only forwards
 * `expect(actual).matcher(expected)` with its values; whether it holds is decided here, so a test
 * cannot claim to pass.
 */
import { isDeepStrictEqual } from "node:util";
import type { JsonValue } from "../result";

export const MATCHERS = [
  "toBe",
  "toEqual",
  "toMatchObject",
  "toContain",
  "toHaveLength",
  "toBeGreaterThan",
  "toBeLessThan",
  "toBeUndefined",
  "toBeDefined",
  "toBeNull",
  "toBeTruthy",
  "toBeFalsy",
] as const;

export interface Assertion {
  /** How the assertion reads, e.g. `expect({"status":"retry"}).toEqual({"status":"ok"})`. */
  text: string;
  pass: boolean;
}

/** JSON-safe wrapper the session sends: `{ v }`, or `{}` for undefined. */
export type Boxed = { v?: JsonValue };

function matchesObject(actual: JsonValue | undefined, expected: JsonValue | undefined): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matchesObject(actual[i], e))
    );
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, e]) => matchesObject(actual[k], e));
  }
  return isDeepStrictEqual(actual, expected);
}

function holds(matcher: string, actual: JsonValue | undefined, expected: JsonValue | undefined): boolean {
  switch (matcher) {
    case "toBe":
      return Object.is(actual, expected);
    case "toEqual":
      return isDeepStrictEqual(actual, expected);
    case "toMatchObject":
      return matchesObject(actual, expected);
    case "toContain":
      if (typeof actual === "string") return typeof expected === "string" && actual.includes(expected);
      return Array.isArray(actual) && actual.some((a) => isDeepStrictEqual(a, expected));
    case "toHaveLength":
      return (typeof actual === "string" || Array.isArray(actual)) && actual.length === expected;
    case "toBeGreaterThan":
      return typeof actual === "number" && typeof expected === "number" && actual > expected;
    case "toBeLessThan":
      return typeof actual === "number" && typeof expected === "number" && actual < expected;
    case "toBeUndefined":
      return actual === undefined;
    case "toBeDefined":
      return actual !== undefined;
    case "toBeNull":
      return actual === null;
    case "toBeTruthy":
      return Boolean(actual);
    case "toBeFalsy":
      return !actual;
    default:
      return false;
  }
}

const show = (value: JsonValue | undefined) => {
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

const NO_ARGUMENT = new Set(["toBeUndefined", "toBeDefined", "toBeNull", "toBeTruthy", "toBeFalsy"]);

export function evaluate(matcher: string, actual: Boxed, expected: Boxed, negated: boolean): Assertion {
  const known = (MATCHERS as readonly string[]).includes(matcher);
  const result = known && holds(matcher, actual.v, expected.v);
  const argument = NO_ARGUMENT.has(matcher) ? "" : show(expected.v);
  const text = `expect(${show(actual.v)}).${negated ? "not." : ""}${matcher}(${argument})`;
  return { text: known ? text : `${text}: unknown matcher`, pass: known && result !== negated };
}
