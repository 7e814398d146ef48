/** Evaluates one rule against an answer: whether it holds, plus a detail that helps locate the miss. */
import { meetsConditions } from "./conditions";
import { selectItems, selectValues } from "./paths";
import type { Rule } from "./rules";

export interface RuleOutcome {
  passed: boolean;
  /** Appended to the fail message, e.g. which items fall short. Never reveals the expected answer. */
  detail?: string;
}

function itemNumbers(indexes: number[]): string {
  return indexes.map((i) => `#${i + 1}`).join(", ");
}

export function evaluateRule(rule: Rule, answer: unknown): RuleOutcome {
  switch (rule.type) {
    case "match":
      return { passed: meetsConditions(answer, rule.where) };

    case "every": {
      // Positions stay those of the whole list, so "#3" is the third item the student wrote.
      const items = selectItems(answer, rule.path)
        .map((item, position) => ({ item, position }))
        .filter(({ item }) => !rule.where || meetsConditions(item, rule.where));
      if (items.length === 0) return { passed: false, detail: "No item to check was found." };
      const missed = items.flatMap(({ item, position }) => (meetsConditions(item, rule.is) ? [] : [position]));
      if (missed.length === 0) return { passed: true };
      return { passed: false, detail: `Items that fall short (counting from the top): ${itemNumbers(missed)}.` };
    }

    case "some": {
      const matching = selectItems(answer, rule.path).filter((item) => meetsConditions(item, rule.is)).length;
      const needed = rule.atLeast ?? 1;
      if (matching >= needed) return { passed: true };
      return needed > 1 ? { passed: false, detail: `Found ${matching} of the ${needed} needed.` } : { passed: false };
    }

    case "none": {
      const items = selectItems(answer, rule.path);
      const offending = items.flatMap((item, i) => (meetsConditions(item, rule.is) ? [i] : []));
      return offending.length === 0 ? { passed: true } : { passed: false, detail: `Items concerned: ${itemNumbers(offending)}.` };
    }

    case "includes": {
      const present = new Set(selectValues(answer, rule.path).flatMap((v) => (Array.isArray(v) ? v : [v])));
      const found = rule.values.filter((v) => present.has(v)).length;
      return { passed: found >= (rule.atLeast ?? rule.values.length) };
    }

    case "ordered": {
      const items = selectItems(answer, rule.path);
      let previous = -1;
      for (const conditions of rule.sequence) {
        const index = items.findIndex((item) => meetsConditions(item, conditions));
        if (index === -1) return { passed: false, detail: "One of the steps this rule orders is missing." };
        if (index <= previous) return { passed: false, detail: `Item #${index + 1} comes too early.` };
        previous = index;
      }
      return { passed: true };
    }

    case "monotone": {
      const items = selectItems(answer, rule.path).filter((item) => !rule.where || meetsConditions(item, rule.where));
      const values = items.map((item) => selectValues(item, rule.value)[0]).filter((v): v is number => typeof v === "number");
      const shown = values.length ? ` Values in order: ${values.join(" → ")}.` : "";
      if (values.length < (rule.minCount ?? 2)) return { passed: false, detail: `Found ${values.length} value(s), need at least ${rule.minCount ?? 2}.${shown}` };
      let previous = rule.start ?? 0;
      for (const [i, value] of values.entries()) {
        const rises = rule.strict === false ? value >= previous : value > previous;
        if (i > 0 && !rises) return { passed: false, detail: `The sequence goes back or stalls.${shown}` };
        if (rule.maxJump !== undefined && value - previous > rule.maxJump) return { passed: false, detail: `One step climbs by more than ${rule.maxJump}.${shown}` };
        previous = value;
      }
      return { passed: true };
    }
  }
}
