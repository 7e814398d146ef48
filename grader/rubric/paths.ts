/**
 * Field paths used by rubric rules: "tests.covered", "steps[*].action", "steps[0].percent", or "."
 * for the value itself. `[*]` fans out over every item of a list, so one path can select many values.
 */

/** A parsed path: property names, list indexes, and "*" (a string) for every item. */
export type PathToken = string | number;

const PATH = /^(\.|[a-zA-Z][a-zA-Z0-9_]*(\[(\*|\d+)\])*(\.[a-zA-Z][a-zA-Z0-9_]*(\[(\*|\d+)\])*)*)$/;

export function isValidPath(path: string): boolean {
  return PATH.test(path);
}

/** Splits a path into tokens; throws on a malformed path (the rule schema checks paths first). */
export function parsePath(path: string): PathToken[] {
  if (!isValidPath(path)) throw new Error(`malformed path "${path}"`);
  if (path === ".") return [];
  const tokens: PathToken[] = [];
  for (const part of path.split(".")) {
    const name = part.replace(/\[.*$/, "");
    tokens.push(name);
    for (const m of part.matchAll(/\[(\*|\d+)\]/g)) {
      const index = m[1] ?? "*";
      tokens.push(index === "*" ? "*" : Number(index));
    }
  }
  return tokens;
}

const parsed = new Map<string, PathToken[]>();
function tokensOf(path: string): PathToken[] {
  let tokens = parsed.get(path);
  if (!tokens) {
    tokens = parsePath(path);
    parsed.set(path, tokens);
  }
  return tokens;
}

/** Every value the path reaches from `root`; missing fields give no value rather than undefined. */
export function selectValues(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const token of tokensOf(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (token === "*") {
        if (Array.isArray(value)) next.push(...(value as unknown[]));
      } else if (typeof token === "number") {
        if (Array.isArray(value) && token < value.length) next.push(value[token]);
      } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const child = (value as Record<string, unknown>)[token];
        if (child !== undefined) next.push(child);
      }
    }
    current = next;
  }
  return current;
}

/** The items of the list(s) a path names: "steps" gives the steps; nested lists are flattened. */
export function selectItems(root: unknown, path: string): unknown[] {
  return flattenOnce(selectValues(root, path));
}

/** A list's items in place of the list; other values as they are. */
export function flattenOnce(values: readonly unknown[]): unknown[] {
  return values.flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]));
}
