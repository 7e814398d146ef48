/**
 * A session factory (session.ts) as the text the engine host evaluates: minified once per process,
 * since, like guest.ts, QuickJS parses it for every submission.
 */
import { transform } from "esbuild";

const minified = new Map<string, Promise<string>>();

/**
 * A session factory's text, minified. Identifiers are kept, so what a student's code sees (function and class names) is as
 * written. Asynchronous, through the esbuild service that transpiles the submission: the synchronous
 * API would start a worker thread and a second esbuild process on a cold start.
 */
export function sessionSource(factory: (...args: never[]) => unknown): Promise<string> {
  const text = String(factory);
  let small = minified.get(text);
  if (small === undefined) {
    // Whitespace only: syntax minification would drop the expression as unused.
    small = transform(`(${text})`, { minifyWhitespace: true, target: "es2022", logLevel: "silent" }).then((out) => {
      const code = out.code.trim();
      const expression = code.endsWith(";") ? code.slice(0, -1) : code;
      if (!expression) throw new Error("could not minify a session factory");
      return expression;
    });
    // A failed minification is not kept: the next grading tries again.
    small.catch(() => minified.delete(text));
    minified.set(text, small);
  }
  return small;
}
