/** `flagship exercises schema`: regenerates exercises/exercise.schema.json from the zod schemas. */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { CliCommand } from "../command";
import { JSON_SCHEMA_FILE, exerciseJsonSchemaText } from "../../grader/exercises/json-schema";

export const exercisesSchema: CliCommand = {
  summary: "Regenerate exercises/exercise.schema.json for editor completion",
  help: [
    "Usage: flagship exercises schema [--dir exercises] [--check]",
    "",
    `Writes <dir>/${JSON_SCHEMA_FILE} from the zod schemas in grader/exercises.`,
    "--check only compares, and exits 1 when the committed file is out of date.",
  ].join("\n"),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { dir: { type: "string", default: "exercises" }, check: { type: "boolean", default: false } },
      strict: true,
    });
    const file = join(values.dir, JSON_SCHEMA_FILE);
    const text = await exerciseJsonSchemaText();
    if (values.check) {
      const current = await readFile(file, "utf8").catch(() => "");
      if (current === text) {
        process.stdout.write(`${file} is up to date.\n`);
        return 0;
      }
      process.stderr.write(`${file} is out of date; run \`npx flagship exercises schema\`.\n`);
      return 1;
    }
    await writeFile(file, text);
    process.stdout.write(`wrote ${file}\n`);
    return 0;
  },
};
