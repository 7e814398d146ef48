/**
 * `npx flagship <command>`: the command line shares every function with the server; each command
 * lives in its own file under cli/commands and is listed here once.
 */
import { UsageError, type CliEntry } from "./command";

/**
 * Each command's module is imported when it runs, not at start: `flagship grade` then loads the grader
 * and nothing of Redis, LTI or the database, which a cold grade would otherwise pay for.
 */
const commands: CliEntry[] = [
  { name: "user add", load: async () => (await import("./commands/user-add")).userAdd },
  { name: "user reset-password", load: async () => (await import("./commands/user-reset-password")).userResetPassword },
  { name: "exercises check", load: async () => (await import("./commands/exercises-check")).exercisesCheck },
  { name: "exercises schema", load: async () => (await import("./commands/exercises-schema")).exercisesSchema },
  { name: "grade", load: async () => (await import("./commands/grade")).grade },
  { name: "worker", load: async () => (await import("./commands/worker")).worker },
  { name: "lti add-platform", load: async () => (await import("./commands/lti-add-platform")).ltiAddPlatform },
  { name: "lti rotate-key", load: async () => (await import("./commands/lti-rotate-key")).ltiRotateKey },
];

async function usage(): Promise<string> {
  const summaries = await Promise.all(commands.map(async (c) => (await c.load()).summary));
  const lines = commands.map((c, i) => `  flagship ${c.name.padEnd(22)} ${summaries[i]}`);
  return ["Usage:", ...lines, "", "Add --help after a command for its options."].join("\n");
}

/** Runs the command named by argv and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const entry = commands.find((c) => {
    const words = c.name.split(" ");
    return words.every((w, i) => argv[i] === w);
  });
  if (!entry) {
    process.stderr.write(`${argv.length ? `Unknown command: ${argv.join(" ")}\n\n` : ""}${await usage()}\n`);
    return 2;
  }
  const command = await entry.load();
  const rest = argv.slice(entry.name.split(" ").length);
  if (rest.includes("--help")) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // parseArgs and UsageError both mean the words were off: say what, show the command's help.
    if (isUsageError(err)) {
      process.stderr.write(`${err.message}\n\n${command.help}\n`);
      return 2;
    }
    throw err;
  }
}

function isUsageError(err: unknown): err is Error {
  if (err instanceof UsageError) return true;
  return err instanceof Error && "code" in err && typeof err.code === "string" && err.code.startsWith("ERR_PARSE_ARGS");
}
