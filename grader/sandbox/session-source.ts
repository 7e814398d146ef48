/**
 * A session factory (session.ts) as the text the engine host evaluates: minified once per process,
 * since, like guest.ts, QuickJS parses it for every submission.
 */
import { esbuild } from "./esbuild";
import type { SandboxProfile } from "./session";

const minified = new Map<string, Promise<string>>();

/**
 * A profile's session factory as text, minified: with a library, a factory of one argument that hands
 * the session what the library made when the text was evaluated. Identifiers are kept, so what a
 * student's code sees (function and class names) is as written. Asynchronous, through the esbuild
 * service that transpiles the submission: the synchronous API would start a worker thread and a second
 * esbuild process on a cold start.
 */
export function sessionSource(profile: SandboxProfile): Promise<string> {
  // Only the function's text is read: it is never called here.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const factory = String(profile.session);
  const parts = Object.entries<() => unknown>(profile.library ?? {});
  const library = parts.map(([name, make]) => `${JSON.stringify(name)}: (${String(make)})()`).join(", ");
  const text =
    parts.length > 0 ? `((session, library) => (env) => session(env, library))(${factory}, {${library}})` : factory;
  let small = minified.get(text);
  if (small === undefined) {
    // Whitespace only: syntax minification would drop the expression as unused.
    small = esbuild
      .transform(`(${text})`, { minifyWhitespace: true, target: "es2022", logLevel: "silent" })
      .then((out) => {
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
