/** `flagship lti add-platform …`: registers an LMS (or adds deployments to one already registered). */
import { parseArgs } from "node:util";
import type { CliCommand } from "../command";
import { loadConfig } from "../../server/config";
import { databaseFile, openDatabase } from "../../server/db/database";
import { validate } from "../../grader/validation";
import { platformInputSchema, savePlatform } from "../../server/lti/platforms";

const flagOf: Record<string, string> = {
  issuer: "--issuer",
  clientId: "--client-id",
  name: "--name",
  authUrl: "--auth-url",
  tokenUrl: "--token-url",
  jwksUrl: "--jwks-url",
  lmsOrigin: "--lms-origin",
  deploymentIds: "--deployment-id",
};

export const ltiAddPlatform: CliCommand = {
  summary: "Register an LMS platform for LTI 1.3 launches",
  help: [
    "Usage: flagship lti add-platform --issuer <url> --client-id <id> --auth-url <url> --token-url <url>",
    "                                 --jwks-url <url> --deployment-id <id> [--deployment-id <id> …]",
    "                                 [--name <text>] [--lms-origin <url>]",
    "",
    "Registers the platform in the database in DATA_DIR. Run it again with the same issuer and client id",
    "to add deployment ids or change the URLs. The values come from the LMS after you add Flagship to it;",
    "what to paste into the LMS is on the instructor's LMS page (/admin/lti).",
  ].join("\n"),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        issuer: { type: "string" },
        "client-id": { type: "string" },
        name: { type: "string" },
        "auth-url": { type: "string" },
        "token-url": { type: "string" },
        "jwks-url": { type: "string" },
        "lms-origin": { type: "string" },
        "deployment-id": { type: "string", multiple: true },
      },
      strict: true,
    });
    const checked = validate(platformInputSchema, {
      issuer: values.issuer,
      clientId: values["client-id"],
      name: values.name,
      authUrl: values["auth-url"],
      tokenUrl: values["token-url"],
      jwksUrl: values["jwks-url"],
      lmsOrigin: values["lms-origin"],
      deploymentIds: values["deployment-id"] ?? [],
    });
    if (!checked.ok) {
      for (const issue of checked.issues) {
        const [field, ...rest] = issue.path.split(/(?=[.[])/);
        process.stderr.write(`${flagOf[field ?? ""] ?? field}${rest.join("")}: ${issue.message}\n`);
      }
      return 2;
    }
    const db = openDatabase(databaseFile(loadConfig()));
    try {
      const platform = savePlatform(db, checked.data);
      process.stdout.write(
        `Registered ${platform.issuer} (client id ${platform.clientId}), deployments: ${platform.deploymentIds.join(", ")}.\n`,
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
