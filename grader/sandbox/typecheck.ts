/**
 * Type errors in a student's TypeScript against the types the exercise declares for its one module
 * (`flagship:checkout`, `flagship:rides`, `flagship:testing`), reported as warnings with line, column
 * and message. Pure: source text and declarations in, diagnostics out. Nothing here runs the code.
 *
 * Why: a response missing a field used to surface only as many rules "never reached"; the compiler
 * names it ("Property 'reason' is missing in type ..."). Warnings are never scored.
 *
 * - The compiler is loaded on the first check, and the standard library's declaration files are
 *   parsed once per process and shared by every check
 *   (a parsed file is immutable once bound, as TypeScript's own document registry relies on), so a
 *   warm check only parses and checks the submission.
 * - Student input never makes this throw: anything unexpected yields no warnings.
 * - Syntax errors yield no warnings: the grader reports them as a compile error already.
 * - At most MAX_WARNINGS are returned; the last one says how many more there were.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type * as TypeScript from "typescript";
import type { Diagnostic } from "../result";

export interface DeclaredModule {
  /** The module students import, e.g. "flagship:checkout". */
  moduleName: string;
  /** Its declaration file's text: `declare module "flagship:checkout" { ... }`. */
  dts: string;
}

export const MAX_WARNINGS = 20;

const SUBMISSION = "/submission/solution.ts";
const DECLARATIONS = "/submission/declared.d.ts";
const GLOBALS = "/submission/engine-globals.d.ts";

/** What the sandbox engine offers beyond the language (see README: timers, a quiet console, ...). */
const ENGINE_GLOBALS = `
declare var console: {
  log(...data: unknown[]): void; info(...data: unknown[]): void; warn(...data: unknown[]): void;
  error(...data: unknown[]): void; debug(...data: unknown[]): void;
};
declare function setTimeout(handler: (...args: unknown[]) => void, timeout?: number, ...args: unknown[]): number;
declare function clearTimeout(id: number | undefined): void;
declare function setInterval(handler: (...args: unknown[]) => void, timeout?: number, ...args: unknown[]): number;
declare function clearInterval(id: number | undefined): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
`;

interface Checker {
  ts: typeof TypeScript;
  options: TypeScript.CompilerOptions;
  libDir: string;
  /** Parsed standard-library files, shared by every check in this process. */
  libCache: Map<string, TypeScript.SourceFile | undefined>;
  globalsFile: TypeScript.SourceFile;
  declarationCache: Map<string, TypeScript.SourceFile>;
}

let checker: Checker | undefined;

/**
 * The compiler is loaded on the first check, not at import: it takes about a second to load, which
 * a server starting up (or a CLI grading a structured answer) should not pay.
 */
function load(): Checker {
  if (checker) return checker;
  const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
  const options: TypeScript.CompilerOptions = {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2020.d.ts"],
    strict: true,
    // Missing annotations are a style matter, not a mismatch with the declared types.
    noImplicitAny: false,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    allowImportingTsExtensions: true,
  };
  checker = {
    ts,
    options,
    libDir: dirname(ts.getDefaultLibFilePath(options)),
    libCache: new Map(),
    globalsFile: ts.createSourceFile(GLOBALS, ENGINE_GLOBALS, ts.ScriptTarget.ES2020, true),
    declarationCache: new Map(),
  };
  return checker;
}

function libFile(c: Checker, fileName: string): TypeScript.SourceFile | undefined {
  if (!c.libCache.has(fileName)) {
    let text: string | undefined;
    try {
      text = readFileSync(fileName, "utf8");
    } catch {
      text = undefined;
    }
    c.libCache.set(
      fileName,
      text === undefined ? undefined : c.ts.createSourceFile(fileName, text, c.ts.ScriptTarget.ES2020, true),
    );
  }
  return c.libCache.get(fileName);
}

function declarationFile(c: Checker, dts: string): TypeScript.SourceFile {
  let file = c.declarationCache.get(dts);
  if (!file) {
    file = c.ts.createSourceFile(DECLARATIONS, dts, c.ts.ScriptTarget.ES2020, true);
    c.declarationCache.set(dts, file);
  }
  return file;
}

function hostFor(
  c: Checker,
  submission: TypeScript.SourceFile,
  declarations: TypeScript.SourceFile,
): TypeScript.CompilerHost {
  const files = new Map<string, TypeScript.SourceFile>([
    [SUBMISSION, submission],
    [DECLARATIONS, declarations],
    [GLOBALS, c.globalsFile],
  ]);
  const isLib = (fileName: string) => fileName.startsWith(c.libDir);
  return {
    getSourceFile: (fileName) => files.get(fileName) ?? (isLib(fileName) ? libFile(c, fileName) : undefined),
    getDefaultLibFileName: (o) => c.ts.getDefaultLibFilePath(o),
    getDefaultLibLocation: () => c.libDir,
    writeFile: () => {},
    getCurrentDirectory: () => "/submission",
    getDirectories: () => [],
    fileExists: (fileName) => files.has(fileName) || (isLib(fileName) && libFile(c, fileName) !== undefined),
    readFile: (fileName) => files.get(fileName)?.text ?? (isLib(fileName) ? libFile(c, fileName)?.text : undefined),
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
  };
}

function toDiagnostic(c: Checker, file: TypeScript.SourceFile, d: TypeScript.Diagnostic): Diagnostic {
  const at = file.getLineAndCharacterOfPosition(Math.max(0, Math.min(d.start ?? 0, file.text.length)));
  return {
    line: at.line + 1,
    column: at.character + 1,
    message: c.ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  };
}

/** Type errors of `source` against `declared`, in source order, at most MAX_WARNINGS. */
export function typecheckSubmission(source: string, declared: DeclaredModule): Diagnostic[] {
  try {
    const c = load();
    const { ts } = c;
    const submission = ts.createSourceFile(SUBMISSION, source, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
    const declarations = declarationFile(c, declared.dts);
    const program = ts.createProgram({
      rootNames: [SUBMISSION, DECLARATIONS, GLOBALS],
      options: c.options,
      host: hostFor(c, submission, declarations),
    });
    if (program.getSyntacticDiagnostics(submission).length > 0) return [];
    const found = program
      .getSemanticDiagnostics(submission)
      .filter((d) => d.category === ts.DiagnosticCategory.Error && d.file === submission)
      .sort((a, b) => (a.start ?? 0) - (b.start ?? 0))
      .map((d) => toDiagnostic(c, submission, d));
    if (found.length <= MAX_WARNINGS) return found;
    const shown = found.slice(0, MAX_WARNINGS);
    const next = found[MAX_WARNINGS]!;
    shown.push({
      line: next.line,
      column: next.column,
      message: `…and ${found.length - MAX_WARNINGS} more type warnings from here on, not shown.`,
    });
    return shown;
  } catch {
    // A checker fault on strange input must never cost the student their grade.
    return [];
  }
}
