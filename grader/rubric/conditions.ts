/** Decides whether a value (an answer, or one item of a list) meets a rule's conditions. */
import { flattenOnce, selectValues } from "./paths";
import type { Conditions, Expectation, Literal, Matcher } from "./rules";

function isAnswered(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  return true;
}

function asMatcher(expectation: Expectation): Matcher {
  return typeof expectation === "object" ? expectation : { equals: expectation };
}

/** The conditions hold, and (when alternatives are given) at least one alternative holds too. */
export function meetsAll(
  subject: unknown,
  conditions: Conditions | undefined,
  anyOf: readonly Conditions[] | undefined,
): boolean {
  if (conditions && !meetsConditions(subject, conditions)) return false;
  return !anyOf || anyOf.some((c) => meetsConditions(subject, c));
}

/** The paths of `conditions` whose expectation the subject does not meet. */
export function unmetPaths(subject: unknown, conditions: Conditions): string[] {
  return Object.entries(conditions).flatMap(([path, expectation]) =>
    meetsMatcher(subject, path, asMatcher(expectation)) ? [] : [path],
  );
}

export function meetsConditions(subject: unknown, conditions: Conditions): boolean {
  for (const [path, expectation] of Object.entries(conditions)) {
    if (!meetsMatcher(subject, path, asMatcher(expectation))) return false;
  }
  return true;
}

function rankOf(ranks: Record<string, number>, value: unknown): number | undefined {
  return typeof value === "string" || typeof value === "number" ? ranks[String(value)] : undefined;
}

function meetsMatcher(subject: unknown, path: string, m: Matcher): boolean {
  const values = flattenOnce(selectValues(subject, path)).filter(isAnswered);
  const has = (x: Literal) => values.includes(x);

  if (m.present !== undefined && m.present !== values.length > 0) return false;
  if (m.includes !== undefined && !has(m.includes)) return false;
  if (m.includesAll && !m.includesAll.every(has)) return false;
  if (m.includesAny && !m.includesAny.some(has)) return false;
  if (m.includesNone && m.includesNone.some(has)) return false;

  // Value tests hold for every selected value, and need at least one: an empty answer meets none.
  const each: ((v: unknown) => boolean)[] = [];
  const { equals, oneOf, notOneOf, min, max } = m;
  const isLiteralIn = (list: Literal[], v: unknown) => list.some((x) => x === v);
  if (equals !== undefined) each.push((v) => v === equals);
  if (oneOf) each.push((v) => isLiteralIn(oneOf, v));
  if (notOneOf) each.push((v) => !isLiteralIn(notOneOf, v));
  if (min !== undefined) each.push((v) => typeof v === "number" && v >= min);
  if (max !== undefined) each.push((v) => typeof v === "number" && v <= max);
  if (m.after) {
    const { path: otherPath, ranks } = m.after;
    const other = flattenOnce(selectValues(subject, otherPath)).filter(isAnswered);
    each.push((v) => {
      const mine = rankOf(ranks, v);
      return (
        mine !== undefined &&
        other.length > 0 &&
        other.every((o) => {
          const theirs = rankOf(ranks, o);
          return theirs !== undefined && mine > theirs;
        })
      );
    });
  }
  if (m.fitsFor) {
    const { path: otherPath, table } = m.fitsFor;
    const other = flattenOnce(selectValues(subject, otherPath)).filter(isAnswered);
    each.push((v) => {
      const key = other[0];
      const allowed = typeof key === "string" || typeof key === "number" ? table[String(key)] : undefined;
      return other.length === 1 && allowed !== undefined && isLiteralIn(allowed, v);
    });
  }
  if (each.length === 0) return true;
  return values.length > 0 && values.every((v) => each.every((test) => test(v)));
}
