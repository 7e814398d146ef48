/** `flagship lti rotate-key`: a new LTI signing key; the old one stays published for a day. */
import { parseArgs } from "node:util";
import type { CliCommand } from "../command";
import { loadConfig } from "../../server/config";
import { databaseFile, openDatabase } from "../../server/db/database";
import { rotateKey } from "../../server/lti/keys";

export const ltiRotateKey: CliCommand = {
  summary: "Make a new LTI signing key (the old one stays in /lti/jwks for a day)",
  help: [
    "Usage: flagship lti rotate-key",
    "",
    "Generates a new RS256 key pair that signs from now on. The previous key stays in /lti/jwks for 24",
    "hours, so anything it signed shortly before (and platforms that cached the keyset) still verify.",
  ].join("\n"),
  async run(args) {
    parseArgs({ args, options: {}, strict: true });
    const db = openDatabase(databaseFile(loadConfig()));
    try {
      const { kid, retired } = await rotateKey(db);
      process.stdout.write(
        `New signing key ${kid}.${retired.length ? ` Retired (published for 24 h): ${retired.join(", ")}.` : ""}\n`,
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
