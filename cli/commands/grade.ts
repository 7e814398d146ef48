/** `flagship grade <exercise-id> <answer-file>`: grades an answer with the same engine as the server, no server needed. */
import { parseArgs } from "node:util";
import { UsageError, type CliCommand } from "../command";
import type { GradingResult } from "../../grader/result";

/** Answers written as code, which a sandbox will run. */
const CODE_ANSWER = /\.(ts|mts|js|mjs)$/i;

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
    // The grader is imported only now, after a code answer's sandbox host has started: the host boots
    // while the grader loads (grader/sandbox/prestart.ts).
    if (CODE_ANSWER.test(answerFile)) (await import("../../grader/sandbox/prestart")).prestartHostForOneGrading();
    const { gradeAnswerFile } = await import("../grade-answer-file");
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
