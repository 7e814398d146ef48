/**
 * The rubric standard's words, for every kind: each rule a student can fail (rubric rules, oracle
 * business rules, dark-launch properties, functional-tests mutants) has a hint and a lecture link.
 * Rules are found by their shape in the exercise body, so a new kind is covered without code here.
 */
import type { Exercise, LoadIssue } from "./types";

interface FoundRule {
  path: string;
  rule: Record<string, unknown>;
}

/** Objects that carry points and a message a student reads (or a key term its link must use): the rules of any kind. */
function isRuleLike(value: Record<string, unknown>): boolean {
  return (
    typeof value.points === "number" &&
    ("pass" in value || "passMessage" in value || "behaviour" in value || "keyTerm" in value)
  );
}

export function findRules(exercise: Exercise): FoundRule[] {
  const found: FoundRule[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (isRuleLike(record)) found.push({ path, rule: record });
      else for (const [k, v] of Object.entries(record)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(exercise.body, "");
  return found;
}

const filled = (v: unknown) => typeof v === "string" && v.trim() !== "";

export function checkRuleWords(exercise: Exercise): LoadIssue[] {
  const issues: LoadIssue[] = [];
  for (const { path, rule } of findRules(exercise)) {
    const name = typeof rule.id === "string" ? `rule "${rule.id}"` : "this rule";
    if (!filled(rule.hint))
      issues.push({
        file: exercise.manifestPath,
        path,
        message: `${name} has no hint: a failing rule must nudge the student without giving the answer`,
      });
    if (!filled(rule.link))
      issues.push({
        file: exercise.manifestPath,
        path,
        message: `${name} has no lecture link (/modules/<id>#<heading-slug>)`,
      });
  }
  return issues;
}
