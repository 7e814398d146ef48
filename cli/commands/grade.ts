/** `flagship grade <exercise-id> <answer-file>`: grades an answer with the same engine as the server, no server needed. */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { UsageError, type CliCommand } from "../command";
import type { GradingResult } from "../../grader/result";
import { gradeAnswer, loadExerciseFolder, readDataFile, type Exercise } from "../../grader/exercises/index";

export type GradeFileOutcome = { ok: true; result: GradingResult } | { ok: false; message: string };

/** The exercise's own folder only: a cold grade should not parse and validate every other exercise. */
async function loadOneExercise(
  rootDir: string,
  exerciseId: string,
): Promise<{ ok: true; exercise: Exercise } | { ok: false; message: string }> {
  const entries = await readdir(rootDir, { withFileTypes: true }).catch(() => []);
  const known = entries.filter((d) => d.isDirectory() && !d.name.startsWith(".")).map((d) => d.name);
  // An exercise id is the name of a folder directly inside the exercises folder, nothing else.
  if (!known.includes(exerciseId))
    return {
      ok: false,
      message: `No exercise "${exerciseId}" in ${rootDir}. Known: ${known.sort().join(", ") || "none"}.`,
    };
  const { exercise, issues } = await loadExerciseFolder(join(rootDir, exerciseId), exerciseId);
  if (!exercise || issues.length > 0) {
    return {
      ok: false,
      message: [
        `Exercise "${exerciseId}" is broken:`,
        ...issues.map((e) => `  ${e.file}: ${e.path}: ${e.message}`),
      ].join("\n"),
    };
  }
  return { ok: true, exercise };
}

/** Loads the exercise and the answer file (YAML or JSON) and grades it; bad input comes back as a message. */
export async function gradeAnswerFile(
  rootDir: string,
  exerciseId: string,
  answerFile: string,
): Promise<GradeFileOutcome> {
  const loaded = await loadOneExercise(rootDir, exerciseId);
  if (!loaded.ok) return loaded;
  const { exercise } = loaded;
  // Kinds answered with code (no answer form: code, dark-launch, functional-tests) take a source file, read as text rather than parsed as data.
  if (exercise.answerShape === undefined) {
    try {
      return { ok: true, result: await gradeAnswer(exercise, await readFile(answerFile, "utf8")) };
    } catch (err) {
      return {
        ok: false,
        message: `${answerFile}: cannot read it (${err instanceof Error ? err.message : String(err)})`,
      };
    }
  }
  const answer = await readDataFile(answerFile);
  if (!answer.ok) return { ok: false, message: `${answer.issue.file}: ${answer.issue.message}` };
  return { ok: true, result: await gradeAnswer(exercise, answer.data) };
}

/** What the score line says when no grade was given. */
const NOT_GRADED: Record<GradingResult["status"], string> = {
  graded: "",
  error: " (not graded)",
  compile_error: " (did not compile)",
  infrastructure_error: " (not graded: the grading machinery failed; try again)",
};

/** A summary a person reads in a terminal: score, then each test with its feedback. */
export function formatResultText(exerciseId: string, result: GradingResult): string {
  const lines = [`${exerciseId}: ${result.score}/${result.maxScore}${NOT_GRADED[result.status]}`];
  if (result.error) lines.push(`  ${result.error}`);
  for (const t of result.tests) {
    lines.push(`  ${t.status === "pass" ? "PASS" : "FAIL"} ${t.points}/${t.maxPoints}  ${t.name}`);
    if (t.status === "fail") {
      lines.push(`       ${t.message}`);
      if (t.hint) lines.push(`       Hint: ${t.hint}`);
      if (t.link) lines.push(`       Read: ${t.link}`);
    }
  }
  return lines.join("\n");
}

export const grade: CliCommand = {
  summary: "Grade an answer file (YAML or JSON) for an exercise",
  help: [
    "Usage: flagship grade <exercise-id> <answer-file> [--json] [--dir exercises]",
    "",
    "Grades the answer with the same engine as the server. Prints a summary, or the GradingResult",
    "as JSON with --json. Exits 0 when graded, 1 when the answer could not be graded (it did not",
    "compile, or the grader could not finish: the reason is printed), 2 on bad arguments.",
  ].join("\n"),
  async run(args) {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: "boolean", default: false }, dir: { type: "string", default: "exercises" } },
      strict: true,
    });
    const [exerciseId, answerFile, ...extra] = parsed.positionals;
    if (!exerciseId || !answerFile || extra.length > 0)
      throw new UsageError("Expected an exercise id and one answer file.");
    const outcome = await gradeAnswerFile(parsed.values.dir, exerciseId, answerFile);
    if (!outcome.ok) {
      process.stderr.write(`${outcome.message}\n`);
      return 1;
    }
    const { result } = outcome;
    process.stdout.write(
      parsed.values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatResultText(exerciseId, result)}\n`,
    );
    if (result.status !== "graded") {
      if (parsed.values.json) process.stderr.write(`${result.error ?? "not graded"}\n`);
      return 1;
    }
    return 0;
  },
};
