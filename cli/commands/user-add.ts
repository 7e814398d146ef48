/** `flagship user add --email … --role …`: adds an account and prints its generated password once. */
import { parseArgs } from "node:util";
import { z } from "zod";
import type { CliCommand } from "../command";
import { loadConfig } from "../../server/config";
import { databaseFile, openDatabase } from "../../server/db/database";
import { DuplicateEmailError, createUser, emailSchema, nameSchema, roleSchema } from "../../server/users/users";

const optionsSchema = z.object({ email: emailSchema, role: roleSchema, name: nameSchema.optional() });

export const userAdd: CliCommand = {
  summary: "Add a user and print a generated password",
  help: [
    "Usage: flagship user add --email <email> --role <student|ta|instructor> [--name <name>]",
    "",
    "Adds an account to the database in DATA_DIR (default ./data) and prints its password once.",
  ].join("\n"),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
      strict: true,
    });
    const parsed = optionsSchema.safeParse(values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const value = issue.path[0] === "role" ? " (expected student, ta or instructor)" : "";
        process.stderr.write(
          `--${issue.path.join(".")}: ${issue.input === undefined ? "is required" : issue.message}${value}\n`,
        );
      }
      return 2;
    }
    const db = openDatabase(databaseFile(loadConfig()));
    try {
      const { email, role } = parsed.data;
      const name = parsed.data.name ?? email.split("@")[0] ?? email;
      const { user, password } = await createUser(db, { email, role, name });
      process.stdout.write(`Added ${user.email} as ${user.role}.\nPassword (shown once): ${password}\n`);
      return 0;
    } catch (err) {
      if (err instanceof DuplicateEmailError) {
        process.stderr.write(`${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      db.close();
    }
  },
};
