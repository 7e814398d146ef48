/** `flagship user reset-password --email …`: replaces a password with a generated one, printed once. */
import { parseArgs } from "node:util";
import { UsageError, type CliCommand } from "../command";
import { loadConfig } from "../../server/config";
import { databaseFile, openDatabase } from "../../server/db/database";
import { emailSchema, findUserForLogin, resetPassword } from "../../server/users/users";

export const userResetPassword: CliCommand = {
  summary: "Give a user a new generated password",
  help: [
    "Usage: flagship user reset-password --email <email>",
    "",
    "Replaces the password of the account in DATA_DIR (default ./data), prints the new one once,",
    "and signs the user out of every session.",
  ].join("\n"),
  async run(args) {
    const { values } = parseArgs({ args, options: { email: { type: "string" } }, strict: true });
    const parsed = emailSchema.safeParse(values.email);
    if (!parsed.success) throw new UsageError("--email: expected an email address");
    const email = parsed.data;
    const db = openDatabase(databaseFile(loadConfig()));
    try {
      const found = findUserForLogin(db, email);
      if (!found) {
        process.stderr.write(`No user with email ${email}.\n`);
        return 1;
      }
      const password = await resetPassword(db, found.user.id);
      process.stdout.write(`New password for ${found.user.email} (shown once): ${password}\n`);
      return 0;
    } finally {
      db.close();
    }
  },
};
