/** `flagship exercises check`: lints every exercise and its samples, printing each problem with file and field path. */
import { parseArgs } from "node:util";
import type { CliCommand } from "../command";
import { checkExerciseTree } from "../../grader/exercises/check-all";

export const exercisesCheck: CliCommand = {
  summary: "Check exercise manifests, links, reference answers and golden samples",
  help: [
    "Usage: flagship exercises check [--dir exercises] [--content content] [--update]",
    "",
    "Loads every exercise folder under --dir and reports every problem as <file>: <field path>: <message>:",
    "schema errors, cross-references (rule ids, answer fields, options, modules), lecture links that do",
    "not land on a heading of --content, reference answers that do not earn full marks, and samples whose",
    "result differs from their golden samples/<name>.result.json. Exits 1 when anything is wrong.",
    "",
    "--update rewrites the golden files from the current grader first; review the diff before committing.",
  ].join("\n"),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        dir: { type: "string", default: "exercises" },
        content: { type: "string", default: "content" },
        update: { type: "boolean", default: false },
      },
      strict: true,
    });
    const report = await checkExerciseTree(values.dir, { contentDir: values.content, update: values.update });
    for (const file of report.written) process.stdout.write(`wrote ${file}\n`);
    for (const e of report.errors) process.stderr.write(`${e.file}: ${e.path}: ${e.message}\n`);
    const ids = report.exercises.map((e) => e.id).join(", ");
    if (report.errors.length > 0) {
      process.stderr.write(`\n${report.errors.length} problem(s) found. Loaded: ${ids || "none"}.\n`);
      return 1;
    }
    process.stdout.write(`All ${report.exercises.length} exercises are valid: ${ids}.\n`);
    return 0;
  },
};
