/**
 * Loads every exercise folder under a root, collecting every problem with its file and field path.
 * A broken exercise is reported and skipped; the others still load, so one typo never takes the
 * whole course down.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { validate } from "../validation";
import { exerciseHeaderSchema } from "./header";
import type { ExerciseHeaderManifest } from "./header";
import { findKind, KIND_NAMES } from "./kinds";
import { dataTextProblem } from "./data-limits";
import type { Exercise, LoadIssue, PrepareContext } from "./types";

export const MANIFEST_FILE = "exercise.yaml";
export const PROMPT_FILE = "prompt.md";

export interface LoadResult {
  exercises: Exercise[];
  errors: LoadIssue[];
}

/**
 * Parses YAML or JSON text; syntax errors come back as issues with line and column. Text too large or
 * nested too deep (data-limits.ts) is refused before any parser sees it.
 */
export function parseDataText(
  text: string,
  file: string,
): { ok: true; data: unknown } | { ok: false; issue: LoadIssue } {
  const format = file.endsWith(".json") ? "json" : "yaml";
  const problem = dataTextProblem(text, format);
  if (problem) return { ok: false, issue: { file, path: "(file)", message: `not accepted: it ${problem}` } };
  if (format === "json") {
    try {
      return { ok: true, data: JSON.parse(text) };
    } catch (e) {
      return {
        ok: false,
        issue: { file, path: "(file)", message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` },
      };
    }
  }
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : "";
    const reason = (first.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    return { ok: false, issue: { file, path: "(file)", message: `not valid YAML${where}: ${reason}` } };
  }
  try {
    // toJS refuses documents whose aliases expand too far (a "billion laughs" file), by throwing.
    return { ok: true, data: doc.toJS() };
  } catch (e) {
    return {
      ok: false,
      issue: { file, path: "(file)", message: `not valid YAML: ${e instanceof Error ? e.message : String(e)}` },
    };
  }
}

export async function readDataFile(
  file: string,
): Promise<{ ok: true; data: unknown } | { ok: false; issue: LoadIssue }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return { ok: false, issue: { file, path: "(file)", message: "cannot be read (is the file there?)" } };
  }
  return parseDataText(text, file);
}

function kindOf(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null || !("kind" in data)) return undefined;
  return typeof data.kind === "string" ? data.kind : undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Loads all exercises under `rootDir` (one folder each), sorted by id. */
export async function loadExercises(rootDir: string): Promise<LoadResult> {
  const errors: LoadIssue[] = [];
  let names: string[];
  try {
    names = (await readdir(rootDir)).sort();
  } catch {
    return {
      exercises: [],
      errors: [{ file: rootDir, path: "(folder)", message: "the exercises folder cannot be read" }],
    };
  }
  const exercises: Exercise[] = [];
  for (const name of names) {
    const dir = join(rootDir, name);
    if (name.startsWith(".") || !(await isDirectory(dir))) continue;
    const loaded = await loadExerciseFolder(dir, name);
    if (loaded.issues.length > 0) errors.push(...loaded.issues);
    else if (loaded.exercise) exercises.push(loaded.exercise);
  }
  return { exercises, errors };
}

/** Loads one folder; `folderName` must equal the manifest id. */
export async function loadExerciseFolder(
  dir: string,
  folderName: string,
): Promise<{ exercise?: Exercise; issues: LoadIssue[] }> {
  const manifestPath = join(dir, MANIFEST_FILE);
  try {
    await stat(manifestPath);
  } catch {
    return {
      issues: [
        {
          file: manifestPath,
          path: "(file)",
          message: `missing: every folder under the exercises folder needs an ${MANIFEST_FILE}`,
        },
      ],
    };
  }
  const raw = await readDataFile(manifestPath);
  if (!raw.ok) return { issues: [raw.issue] };
  const issues: LoadIssue[] = [];
  const at = (path: string, message: string) => issues.push({ file: manifestPath, path, message });

  const kindName = kindOf(raw.data);
  if (kindName === undefined) {
    const header = validate(exerciseHeaderSchema, raw.data);
    if (header.ok) at("kind", "required");
    else for (const i of header.issues) at(i.path, i.message);
    return { issues };
  }
  const kind = await findKind(kindName);
  if (!kind) {
    at("kind", `unknown kind "${kindName}" (known: ${KIND_NAMES.join(", ")})`);
    return { issues };
  }
  const manifest = validate(kind.manifestSchema, raw.data);
  if (!manifest.ok) {
    for (const i of manifest.issues) at(i.path, i.message);
    return { issues };
  }
  // Cannot fail: every kind's manifest schema contains the header fields.
  const head = exerciseHeaderSchema.parse(raw.data);
  if (head.id !== folderName) at("id", `"${head.id}" must match the folder name "${folderName}"`);

  const prompt = await resolvePrompt(dir, head, at);
  const ctx: PrepareContext = { dir, manifestPath, readDataFile: (relative) => readDataFile(join(dir, relative)) };
  const prepared = await kind.prepare(manifest.data, ctx);
  issues.push(...prepared.issues);
  if (issues.length > 0 || prompt === undefined) return { issues };

  const common = {
    id: head.id,
    title: head.title,
    kind: kindName,
    module: head.module,
    points: head.points,
    maxAttempts: head.maxAttempts,
    scoring: head.scoring,
    prompt,
    manualRubric: head.manualRubric ?? [],
    revealAnswers: head.revealAnswers ?? "after-final-attempt",
    dir,
    manifestPath,
    body: prepared.body,
    ...(head.summary === undefined ? {} : { summary: head.summary }),
  };
  const exercise: Exercise = prepared.answerShape
    ? { ...common, answerShape: prepared.answerShape }
    : {
        ...common,
        ...(prepared.starterCode === undefined ? {} : { starterCode: prepared.starterCode }),
        ...(prepared.answerLanguage === undefined ? {} : { answerLanguage: prepared.answerLanguage }),
      };
  return { exercise, issues };
}

async function resolvePrompt(
  dir: string,
  head: ExerciseHeaderManifest,
  at: (path: string, message: string) => void,
): Promise<string | undefined> {
  let fromFile: string | undefined;
  try {
    fromFile = await readFile(join(dir, PROMPT_FILE), "utf8");
  } catch {
    fromFile = undefined;
  }
  if (head.prompt !== undefined && fromFile !== undefined) {
    at("prompt", `is given inline and in ${PROMPT_FILE}; keep one`);
    return undefined;
  }
  const prompt = head.prompt ?? fromFile;
  if (prompt === undefined || prompt.trim() === "") {
    at("prompt", `required: write it inline or in ${PROMPT_FILE} beside the manifest`);
    return undefined;
  }
  return prompt;
}
