/**
 * Turns the student's TypeScript into the module the engine host loads: a factory function expression that
 * builds a fresh module instance per call. Imports other than `flagship:checkout` (static, `require`
 * or dynamic `import()`) are compile errors with line and column. This ban is a courtesy that gives
 * a clear message; the sandbox holds even when code gets around it.
 */
import type { Message } from "esbuild";
import { esbuild } from "./esbuild";

export const ALLOWED_IMPORT = "flagship:checkout";
/** Larger files are refused before esbuild sees them. */
export const MAX_SOURCE_BYTES = 200_000;

/**
 * `errors`: the code does not compile, in the compiler's words. `infrastructure`: the compiler itself
 * failed (its service process died): nobody's code is at fault, and the grading is retried later.
 */
export type TranspileResult =
  { ok: true; code: string } | { ok: false; errors: string[] } | { ok: false; infrastructure: string };

function formatMessage(m: Message): string {
  const where = m.location ? `line ${m.location.line}, column ${m.location.column + 1}: ` : "";
  return `${where}${m.text}`;
}

function isBuildFailure(error: unknown): error is { errors: Message[] } {
  return typeof error === "object" && error !== null && Array.isArray((error as { errors?: unknown }).errors);
}

/** `allowedImport` is the one module the exercise provides (see sandbox/session.ts). */
export async function transpileSubmission(
  source: string,
  filename = "solution.ts",
  allowedImport = ALLOWED_IMPORT,
): Promise<TranspileResult> {
  if (Buffer.byteLength(source, "utf8") > MAX_SOURCE_BYTES) {
    return { ok: false, errors: [`the file is larger than ${MAX_SOURCE_BYTES} bytes`] };
  }
  const first = await transpileOnce(source, filename, allowedImport);
  if (first.ok || !("infrastructure" in first)) return first;
  // esbuild's service process is gone (killed, or out of memory): every later build would fail the
  // same way. Stopping it makes the next build start a fresh one.
  await esbuild.stop();
  return transpileOnce(source, filename, allowedImport);
}

async function transpileOnce(source: string, filename: string, allowedImport: string): Promise<TranspileResult> {
  try {
    const out = await esbuild.build({
      stdin: { contents: source, loader: "ts", sourcefile: filename },
      bundle: true,
      write: false,
      format: "cjs",
      platform: "neutral",
      target: "node20",
      // QuickJS parses the module once per execution, at a cost that grows with its length; names
      // are kept, so the code behaves (and reads in a stack trace) as written.
      minifyWhitespace: true,
      minifySyntax: true,
      logLevel: "silent",
      // Keep unused imports so `import fs from "node:fs"` is reported even when fs goes unused.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      logOverride: { "unsupported-require-call": "error", "unsupported-dynamic-import": "error" },
      plugins: [
        {
          name: "only-the-provided-module",
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === "entry-point") return undefined;
              if (args.path === allowedImport) return { path: args.path, external: true };
              return {
                errors: [{ text: `importing ${args.path} is not allowed; only ${allowedImport} is available` }],
              };
            });
          },
        },
      ],
    });
    const text = out.outputFiles[0]?.text ?? "";
    const problems = out.errors.map(formatMessage);
    if (problems.length) return { ok: false, errors: problems };
    // CommonJS text inside a function expression: one call of the factory is one module instance.
    // Strict, as the student's ES module would be.
    return { ok: true, code: `(function (require, module, exports) {\n"use strict";\n${text}\n})\n` };
  } catch (error) {
    if (isBuildFailure(error)) return { ok: false, errors: error.errors.map(formatMessage) };
    return {
      ok: false,
      infrastructure: `the compiler failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
