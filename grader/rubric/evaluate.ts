/** Evaluates one rule against an answer: whether it holds, plus a detail that helps locate the miss. */
import type { AnswerField } from "../exercises/shape";
import { meetsAll, meetsConditions, unmetPaths } from "./conditions";
import { describerFor, itemFieldsAt, itemLabelAt } from "./describe";
import { flattenOnce, selectItems, selectValues } from "./paths";
import type { Conditions, Rule } from "./rules";

export interface RuleOutcome {
  passed: boolean;
  /**
   * Appended to the fail message: what the student's own answer says where the rule falls short, or
   * which step is missing or misplaced. Never states the expected choice of a judged field.
   */
  detail?: string;
}

/** "Step 3": an item as the form names it, by its place in the whole list. */
function itemName(label: string, position: number): string {
  return `${label} ${position + 1}`;
}

/** The paths a set of conditions judges, in order, without repeats. */
function pathsOf(...sets: (Conditions | undefined)[]): string[] {
  return [...new Set(sets.flatMap((c) => (c ? Object.keys(c) : [])))];
}

function sameAt(a: unknown, b: unknown, paths: readonly string[]): boolean {
  return paths.every((p) => JSON.stringify(selectValues(a, p)) === JSON.stringify(selectValues(b, p)));
}

export function evaluateRule(rule: Rule, answer: unknown, fields?: readonly AnswerField[]): RuleOutcome {
  switch (rule.type) {
    case "match": {
      if (meetsAll(answer, rule.where, rule.anyOf)) return { passed: true };
      const say = describerFor(fields);
      // Name the judged fields the student got wrong, in their own choices: those `where` misses, and,
      // when no alternative holds, every field the alternatives judge (a bare "depends" shows its empty reason).
      const alternatives = rule.anyOf ?? [];
      const noAlternative = alternatives.length > 0 && !alternatives.some((c) => meetsConditions(answer, c));
      const judged = [
        ...new Set([
          ...(rule.where ? unmetPaths(answer, rule.where) : []),
          ...(noAlternative ? pathsOf(...alternatives) : []),
        ]),
      ];
      const said = judged.filter((p) => p !== "." && !p.includes("[")).map((p) => say.answered(answer, p));
      return { passed: false, detail: said.length ? `Your answer: ${said.join("; ")}.` : undefined };
    }

    case "every": {
      // Positions stay those of the whole list, so "Step 3" is the third step the student wrote.
      const items = selectItems(answer, rule.path)
        .map((item, position) => ({ item, position }))
        .filter(({ item }) => !rule.where || meetsConditions(item, rule.where));
      if (items.length === 0)
        return rule.missing === "judge-elsewhere"
          ? { passed: true }
          : { passed: false, detail: "No item to check was found." };
      const missed = items.filter(({ item }) => !meetsAll(item, rule.is, rule.anyOf));
      if (missed.length === 0) return { passed: true };
      const itemFields = itemFieldsAt(fields, rule.path);
      const itemLabel = itemLabelAt(fields, rule.path);
      const say = describerFor(itemFields);
      const judged = pathsOf(rule.is, ...(rule.anyOf ?? []));
      const lines = missed.slice(0, 6).map(({ item, position }) => {
        const unmet = rule.is ? unmetPaths(item, rule.is) : [];
        const what = (unmet.length ? unmet : judged.filter((p) => p !== ".")).map((p) => say.answered(item, p));
        const name = nameField(itemFields, judged, item);
        const label = name ? ` (${say.answered(item, name).replace(/^“[^”]*”: /, "")})` : "";
        return `${itemName(itemLabel, position)}${label}: ${what.join("; ")}`;
      });
      const more = missed.length > 6 ? ` And ${missed.length - 6} more.` : "";
      return { passed: false, detail: `Falls short: ${lines.join(" · ")}.${more}` };
    }

    case "some": {
      const scoped = selectItems(answer, rule.path);
      const where = rule.where;
      const all = where ? scoped.filter((item) => meetsConditions(item, where)) : scoped;
      if (all.length === 0 && rule.missing === "judge-elsewhere") return { passed: true };
      const distinct = rule.distinctBy;
      const counted = distinct
        ? all.filter((item, i) => !all.some((other, j) => j !== i && sameAt(item, other, distinct)))
        : all;
      const matching = counted.filter((item) => meetsAll(item, rule.is, rule.anyOf)).length;
      const needed = rule.atLeast ?? 1;
      const claims = rule.claims;
      const fits = (item: unknown): boolean =>
        claims?.fits ? meetsAll(item, undefined, claims.fits) : meetsAll(item, rule.is, rule.anyOf);
      const misfiled = claims
        ? scoped
            .map((item, position) => ({ item, position }))
            .filter(({ item }) => meetsConditions(item, claims.where) && !fits(item))
        : [];
      if (claims && misfiled.length > 0) {
        const itemFields = itemFieldsAt(fields, rule.path);
        const itemLabel = itemLabelAt(fields, rule.path);
        const say = describerFor(itemFields);
        const judged = pathsOf(claims.where, rule.is, ...(claims.fits ?? rule.anyOf ?? []));
        const lines = misfiled.slice(0, 6).map(({ item, position }) => {
          const name = nameField(itemFields, judged, item);
          const label = name ? ` (${say.answered(item, name).replace(/^“[^”]*”: /, "")})` : "";
          return `${itemName(itemLabel, position)}${label}: ${judged.map((p) => say.answered(item, p)).join("; ")}`;
        });
        return { passed: false, detail: `Offered for this but does not fit it: ${lines.join(" · ")}.` };
      }
      if (matching >= needed) return { passed: true };
      const hedged = distinct && counted.length < all.length && all.some((item) => meetsAll(item, rule.is, rule.anyOf));
      if (hedged)
        return {
          passed: false,
          detail:
            "An item that would count is listed more than once with different answers, so none of its copies counts.",
        };
      return needed > 1 ? { passed: false, detail: `Found ${matching} of the ${needed} needed.` } : { passed: false };
    }

    case "none": {
      const items = selectItems(answer, rule.path);
      const offending = items.flatMap((item, i) => (meetsConditions(item, rule.is) ? [i] : []));
      return offending.length === 0
        ? { passed: true }
        : {
            passed: false,
            detail: `Concerned: ${offending.map((i) => itemName(itemLabelAt(fields, rule.path), i)).join(", ")}.`,
          };
    }

    case "includes": {
      const present = new Set(flattenOnce(selectValues(answer, rule.path)));
      const found = rule.values.filter((v) => present.has(v)).length;
      return { passed: found >= (rule.atLeast ?? rule.values.length) };
    }

    case "ordered": {
      const items = selectItems(answer, rule.path);
      const say = describerFor(itemFieldsAt(fields, rule.path));
      const itemLabel = itemLabelAt(fields, rule.path);
      const found = rule.sequence.map((conditions) => ({
        conditions,
        index: items.findIndex((item) => meetsConditions(item, conditions)),
      }));
      // A step another rule requires is charged there, once; here only the order of what is present counts.
      const elsewhere = (j: number): boolean =>
        (Array.isArray(rule.missing) ? rule.missing[j] : rule.missing) === "judge-elsewhere";
      const charged = found.filter((f, j) => f.index === -1 && !elsewhere(j));
      if (charged.length > 0)
        return { passed: false, detail: `Missing: ${charged.map((f) => say.step(f.conditions)).join("; ")}.` };
      if (found.some((f) => f.index === -1)) return { passed: true };
      for (let i = 1; i < found.length; i++) {
        const before = found[i - 1];
        const here = found[i];
        if (before && here && here.index <= before.index) {
          const early = items[here.index];
          const late = items[before.index];
          return {
            passed: false,
            detail: `${itemName(itemLabel, here.index)} (${say.item(early, here.conditions)}) comes before ${itemName(itemLabel, before.index)} (${say.item(late, before.conditions)}), which must come first.`,
          };
        }
      }
      return { passed: true };
    }

    case "monotone": {
      const items = selectItems(answer, rule.path).filter((item) => !rule.where || meetsConditions(item, rule.where));
      const values = items
        .map((item) => selectValues(item, rule.value)[0])
        .filter((v): v is number => typeof v === "number");
      const shown = values.length ? ` Values in order: ${values.join(" → ")}.` : "";
      if (values.length < (rule.minCount ?? 2))
        return {
          passed: false,
          detail: `Found ${values.length} value(s), need at least ${rule.minCount ?? 2}.${shown}`,
        };
      let previous = rule.start ?? 0;
      for (const [i, value] of values.entries()) {
        const rises = rule.strict === false ? value >= previous : value > previous;
        if (i > 0 && !rises) return { passed: false, detail: `The sequence goes back or stalls.${shown}` };
        if (rule.maxJump !== undefined && value - previous > rule.maxJump)
          return { passed: false, detail: `One step climbs by more than ${rule.maxJump}.${shown}` };
        previous = value;
      }
      return { passed: true };
    }
  }
}

/** The field that names an item for the student: its "name" text when filled in, else the first choice not being judged. */
function nameField(
  fields: readonly AnswerField[] | undefined,
  judged: readonly string[],
  item: unknown,
): string | undefined {
  const named = fields?.find((f) => f.key === "name" && f.type === "text");
  const filled = named && selectValues(item, named.key).some((v) => typeof v === "string" && v.trim() !== "");
  return filled ? named.key : fields?.find((f) => f.type === "choice" && !judged.includes(f.key))?.key;
}
