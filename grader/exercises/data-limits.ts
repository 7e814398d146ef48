/**
 * Limits checked before any YAML or JSON text is parsed: answers pasted or posted, "try an answer",
 * and exercise files. Parsers recurse or backtrack on nesting, so 125,000 nested brackets kept a
 * parser busy for seconds while nothing else ran; a linear scan that stops at the first level too
 * deep refuses such a text before any parser sees it. No answer or exercise file needs more than a
 * few levels, so the limit leaves plenty of room.
 */
import { Lexer } from "yaml";

export interface DataTextLimits {
  maxBytes: number;
  maxDepth: number;
}

export const DATA_TEXT_LIMITS: DataTextLimits = { maxBytes: 1024 * 1024, maxDepth: 64 };

const kb = (bytes: number) => `${Math.ceil(bytes / 1024).toLocaleString("en-US")} KB`;

/** Why the text may not be parsed (a sentence naming the limit), or undefined when it may. */
export function dataTextProblem(
  text: string,
  format: "json" | "yaml",
  limits: DataTextLimits = DATA_TEXT_LIMITS,
): string | undefined {
  // Each UTF-16 unit is at most 3 bytes of UTF-8, so most texts need no byte count at all.
  if (text.length * 3 > limits.maxBytes) {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > limits.maxBytes) return `is ${kb(bytes)}, more than the limit of ${kb(limits.maxBytes)}`;
  }
  const line = format === "json" ? jsonTooDeepAt(text, limits.maxDepth) : yamlTooDeepAt(text, limits.maxDepth);
  return line === undefined
    ? undefined
    : `is nested more than ${limits.maxDepth} levels deep (at line ${line}); nothing here needs that many`;
}

/** Line where JSON nesting first passes `max`, brackets in strings not counted. */
export function jsonTooDeepAt(text: string, max: number): number | undefined {
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return line;
    } else if (c === 93 || c === 125) depth--;
  }
  return undefined;
}

const SCALAR = "\u001f";

/**
 * Line where YAML nesting first passes `max`. The yaml package's lexer (linear, no recursion) tells
 * brackets that open a flow collection from brackets inside a scalar. Block nesting is estimated
 * from above: half the indentation, plus the `-`, `?` and `:` indicators on the line (the compact
 * `- - - x` nests without indenting).
 */
export function yamlTooDeepAt(text: string, max: number): number | undefined {
  let flow = 0;
  let line = 1;
  let indent = 0;
  let indicators = 0;
  let atLineStart = true;
  let scalarNext = false;
  for (const token of new Lexer().lex(text)) {
    const newlines = countNewlines(token);
    if (scalarNext) {
      // The scalar's own text: any bracket in it is content.
      scalarNext = false;
      line += newlines;
      continue;
    }
    if (token === SCALAR) {
      scalarNext = true;
      atLineStart = false;
      continue;
    }
    if (newlines > 0 && token.trim() === "") {
      line += newlines;
      indent = 0;
      indicators = 0;
      atLineStart = true;
      continue;
    }
    line += newlines;
    if (atLineStart && /^[ \t]+$/.test(token)) {
      indent = token.length;
      atLineStart = false;
      continue;
    }
    atLineStart = false;
    if (token === "[" || token === "{") flow++;
    else if (token === "]" || token === "}") flow = Math.max(0, flow - 1);
    else if (token === "-" || token === "?" || token === ":") indicators++;
    else continue;
    if (flow + indicators + Math.floor(indent / 2) > max) return line;
  }
  return undefined;
}

function countNewlines(token: string): number {
  let n = 0;
  for (let i = token.indexOf("\n"); i >= 0; i = token.indexOf("\n", i + 1)) n++;
  return n;
}
