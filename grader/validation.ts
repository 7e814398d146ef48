/**
 * Turns zod issues into messages a person understands, each with the field path written the way an
 * author or a student reads it ("steps[2].rollback: required"). Used for exercise manifests, answers
 * and, on the server, every request body, so the wording is the same everywhere.
 */
import type { z } from "zod";

export interface FieldIssue {
  /** Field path such as "rubric[3].points" or "steps[2].rollback"; "(root)" for the value itself. */
  path: string;
  message: string;
}

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

/** Writes ["steps", 2, "rollback"] as "steps[2].rollback". */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * Parses and formats the issues. A value that is missing altogether is reported as "required"
 * whatever its expected type (zod would say "invalid option" for a missing choice, for example).
 */
export function validate<T>(
  schema: z.ZodType<T>,
  data: unknown,
): { ok: true; data: T } | { ok: false; issues: FieldIssue[] } {
  const parsed = schema.safeParse(data, {
    reportInput: true,
    error: (issue) =>
      issue.input === undefined && issue.code !== "unrecognized_keys" && issue.code !== "custom"
        ? "required"
        : undefined,
  });
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, issues: formatIssues(parsed.error.issues) };
}

/** Converts zod issues to field issues; an unknown key becomes one issue per key, at that key's path. */
export function formatIssues(issues: readonly Issue[], prefix: readonly PathSegment[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        out.push({ path: formatPath([...path, key]), message: "unknown field (check the spelling)" });
      continue;
    }
    if (issue.code === "invalid_union" && "discriminator" in issue && typeof issue.discriminator === "string") {
      // zod already puts the discriminator key on the path of this issue.
      const options = "options" in issue && Array.isArray(issue.options) ? issue.options.map(String) : [];
      out.push({
        path: formatPath(path),
        message: options.length ? `expected one of: ${options.join(", ")}` : "unknown value",
      });
      continue;
    }
    out.push({ path: formatPath(path), message: humanMessage(issue) });
  }
  return out;
}

/** Writes issues one per line as "path: message", optionally after a file name. */
export function issuesToText(issues: readonly FieldIssue[], file?: string): string {
  return issues.map((i) => `${file ? `${file}: ` : ""}${i.path}: ${i.message}`).join("\n");
}

// zod's own messages start with these words; anything else was written by us on purpose and is kept.
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object (a set of named fields)",
  bigint: "a number",
};

function isMissing(issue: Issue): boolean {
  if ("input" in issue) return issue.input === undefined;
  return /received undefined/.test(issue.message);
}

function sizeWord(origin: string, n: number | bigint): string {
  if (origin === "string") return `${n} character${n === 1 ? "" : "s"}`;
  if (origin === "array" || origin === "set") return `${n} item${n === 1 ? "" : "s"}`;
  return String(n);
}

function humanMessage(issue: Issue): string {
  if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      if (isMissing(issue)) return "required";
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "too_small": {
      const { origin, minimum, inclusive } = issue;
      if (origin === "string" && Number(minimum) === 1) return "required (must not be empty)";
      if (origin === "number" || origin === "bigint" || origin === "int") {
        if (Number(minimum) === 0 && !inclusive) return "expected a positive number";
        return `expected a number ${inclusive ? "of at least" : "greater than"} ${minimum}`;
      }
      return `expected at least ${sizeWord(origin, minimum)}`;
    }
    case "too_big": {
      const { origin, maximum, inclusive } = issue;
      if (origin === "number" || origin === "bigint" || origin === "int") {
        return `expected a number ${inclusive ? "of at most" : "less than"} ${maximum}`;
      }
      return `too long: expected at most ${sizeWord(origin, maximum)}`;
    }
    case "invalid_value":
      return `expected one of: ${issue.values.map((v) => String(v)).join(", ")}`;
    case "invalid_format":
      if (issue.format === "regex" && "pattern" in issue)
        return `does not match the expected pattern ${String(issue.pattern)}`;
      return `expected a valid ${issue.format}`;
    case "not_multiple_of":
      return `expected a multiple of ${issue.divisor}`;
    case "invalid_union":
      return "does not match any of the allowed forms";
    default:
      return issue.message;
  }
}
