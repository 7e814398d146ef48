/**
 * Checks a rubric against the answer shape it grades, so an author's typo is caught when exercises
 * load rather than silently failing every student: every path must name a field, list rules must
 * point at lists, and values compared with a choice must be among its options.
 */
import type { FieldIssue } from "../validation";
import type { AnswerField, ChoiceOption } from "../exercises/shape";
import { parsePath } from "./paths";
import type { Conditions, Literal, Matcher, Rule } from "./rules";

/** What a path reaches in the shape: a set of fields (the answer, a group, a list item) or one value field. */
type Node = { kind: "fields"; fields: readonly AnswerField[] } | { kind: "value"; field: AnswerField };

function resolve(start: Node, path: string): Node | string {
  let node: Node = start;
  for (const token of parsePath(path)) {
    if (token === "*" || typeof token === "number") {
      if (node.kind !== "value" || node.field.type !== "list")
        return `"${path}": [${token}] is only allowed after a list field`;
      node = { kind: "fields", fields: node.field.fields };
      continue;
    }
    if (node.kind === "value") {
      if (node.field.type !== "group") return `"${path}": "${node.field.key}" has no field "${token}"`;
      node = { kind: "fields", fields: node.field.fields };
    }
    const field: AnswerField | undefined = node.fields.find((f) => f.key === token);
    if (!field)
      return `"${path}": no field "${token}" in the answer shape (known: ${node.fields.map((f) => f.key).join(", ")})`;
    node = { kind: "value", field };
  }
  return node;
}

/** The subject of item rules: list items are field sets; multichoice options are plain values. */
function itemsOf(node: Node): Node | undefined {
  if (node.kind === "value" && node.field.type === "list") return { kind: "fields", fields: node.field.fields };
  if (node.kind === "value") return node;
  return undefined;
}

function optionsOf(node: Node): ChoiceOption[] | undefined {
  if (node.kind !== "value") return undefined;
  return node.field.type === "choice" || node.field.type === "multichoice" ? node.field.options : undefined;
}

function literalsOf(m: Matcher): Literal[] {
  const singles = [m.equals, m.includes].filter((v): v is Literal => v !== undefined);
  const fitting = m.fitsFor ? Object.values(m.fitsFor.table).flat() : [];
  return [
    ...singles,
    ...(m.oneOf ?? []),
    ...(m.notOneOf ?? []),
    ...(m.includesAll ?? []),
    ...(m.includesAny ?? []),
    ...(m.includesNone ?? []),
    ...fitting,
  ];
}

function checkLiterals(node: Node, literals: readonly Literal[], where: string, out: FieldIssue[]): void {
  const options = optionsOf(node);
  if (options) {
    const known = options.map((o) => o.value);
    for (const v of literals) {
      if (!known.includes(String(v)))
        out.push({
          path: where,
          message: `"${String(v)}" is not an option of this field (options: ${known.join(", ")})`,
        });
    }
  } else if (node.kind === "value" && node.field.type === "number") {
    for (const v of literals)
      if (typeof v !== "number") out.push({ path: where, message: `"${String(v)}" is compared with a number field` });
  }
}

function checkConditions(subject: Node, conditions: Conditions, where: string, out: FieldIssue[]): void {
  for (const [path, expectation] of Object.entries(conditions)) {
    const at = `${where}.${path === "." ? '"."' : path}`;
    const node =
      path === "."
        ? subject
        : subject.kind === "fields"
          ? resolve(subject, path)
          : `"${path}": plain values have no fields; use "."`;
    if (typeof node === "string") {
      out.push({ path: at, message: node });
      continue;
    }
    const matcher: Matcher = typeof expectation === "object" ? expectation : { equals: expectation };
    checkLiterals(node, literalsOf(matcher), at, out);
    if (matcher.after) {
      const other = subject.kind === "fields" ? resolve(subject, matcher.after.path) : "plain values have no fields";
      if (typeof other === "string") out.push({ path: `${at}.after.path`, message: other });
      else {
        for (const n of [node, other]) {
          for (const o of optionsOf(n) ?? []) {
            if (!(o.value in matcher.after.ranks))
              out.push({ path: `${at}.after.ranks`, message: `option "${o.value}" has no rank` });
          }
        }
      }
    }
    if (matcher.fitsFor) {
      const other = subject.kind === "fields" ? resolve(subject, matcher.fitsFor.path) : "plain values have no fields";
      if (typeof other === "string") out.push({ path: `${at}.fitsFor.path`, message: other });
      else {
        // Every option of the field it depends on must say what fits it, or an answer could fall through the table.
        for (const o of optionsOf(other) ?? []) {
          if (!(o.value in matcher.fitsFor.table))
            out.push({
              path: `${at}.fitsFor.table`,
              message: `option "${o.value}" of "${matcher.fitsFor.path}" has no entry`,
            });
        }
      }
    }
  }
}

/** Checks every rule; `where` is the manifest location of the rubric, e.g. "rubric". */
export function checkRubric(rules: readonly Rule[], fields: readonly AnswerField[], where = "rubric"): FieldIssue[] {
  const out: FieldIssue[] = [];
  const root: Node = { kind: "fields", fields };
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `${where}[${i}]`;
    if (seen.has(rule.id)) out.push({ path: `${at}.id`, message: `duplicate rule id "${rule.id}"` });
    seen.add(rule.id);
    if (rule.type === "match") {
      if (rule.where) checkConditions(root, rule.where, `${at}.where`, out);
      rule.anyOf?.forEach((c, j) => checkConditions(root, c, `${at}.anyOf[${j}]`, out));
      return;
    }
    const target = resolve(root, rule.path);
    if (typeof target === "string") {
      out.push({ path: `${at}.path`, message: target });
      return;
    }
    if (rule.type === "includes") {
      if (!optionsOf(target) && !(target.kind === "value" && rule.path.includes("[*]"))) {
        out.push({
          path: `${at}.path`,
          message: "an includes rule needs a multichoice field or a path through a list with [*]",
        });
      }
      checkLiterals(target, rule.values, `${at}.values`, out);
      return;
    }
    const items = itemsOf(target);
    if (!items || (target.kind === "value" && target.field.type !== "list" && target.field.type !== "multichoice")) {
      out.push({ path: `${at}.path`, message: `a rule of type "${rule.type}" needs a list or multichoice field` });
      return;
    }
    switch (rule.type) {
      case "every":
        if (rule.where) checkConditions(items, rule.where, `${at}.where`, out);
        if (rule.is) checkConditions(items, rule.is, `${at}.is`, out);
        rule.anyOf?.forEach((c, j) => checkConditions(items, c, `${at}.anyOf[${j}]`, out));
        break;
      case "some":
        if (rule.where) checkConditions(items, rule.where, `${at}.where`, out);
        if (rule.claims) checkConditions(items, rule.claims.where, `${at}.claims.where`, out);
        rule.claims?.fits?.forEach((c, j) => checkConditions(items, c, `${at}.claims.fits[${j}]`, out));
        if (rule.is) checkConditions(items, rule.is, `${at}.is`, out);
        rule.anyOf?.forEach((c, j) => checkConditions(items, c, `${at}.anyOf[${j}]`, out));
        for (const [j, p] of (rule.distinctBy ?? []).entries()) {
          const node = items.kind === "fields" ? resolve(items, p) : "plain values have no fields";
          if (typeof node === "string") out.push({ path: `${at}.distinctBy[${j}]`, message: node });
        }
        break;
      case "none":
        checkConditions(items, rule.is, `${at}.is`, out);
        break;
      case "ordered":
        rule.sequence.forEach((c, j) => checkConditions(items, c, `${at}.sequence[${j}]`, out));
        break;
      case "monotone": {
        if (rule.where) checkConditions(items, rule.where, `${at}.where`, out);
        const value = items.kind === "fields" ? resolve(items, rule.value) : "plain values have no fields";
        if (typeof value === "string") out.push({ path: `${at}.value`, message: value });
        else if (value.kind !== "value" || value.field.type !== "number")
          out.push({ path: `${at}.value`, message: 'a rule of type "monotone" needs a number field' });
        break;
      }
    }
  });
  return out;
}
