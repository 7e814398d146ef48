/**
 * Grading one answer file: the exercise's own folder is loaded, the answer read as code or as data,
 * and graded with the same engine as the server. Bad input comes back as a message.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { GradingResult } from "../grader/result";
import { gradeAnswer, loadExerciseFolder, readDataFile, type Exercise } from "../grader/exercises/index";

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
