/**
 * `npx flagship <command>`: the command line shares every function with the server; each command
 * lives in its own file under cli/commands and is listed here once.
 */
import { UsageError, type CliCommand } from "./command";
import { userAdd } from "./commands/user-add";
import { userResetPassword } from "./commands/user-reset-password";
import { exercisesCheck } from "./commands/exercises-check";
import { exercisesSchema } from "./commands/exercises-schema";
import { grade } from "./commands/grade";
import { worker } from "./commands/worker";
import { ltiAddPlatform } from "./commands/lti-add-platform";
import { ltiRotateKey } from "./commands/lti-rotate-key";

const commands: CliCommand[] = [
  userAdd,
  userResetPassword,
  exercisesCheck,
  exercisesSchema,
  grade,
  worker,
  ltiAddPlatform,
  ltiRotateKey,
];

function usage(): string {
  const lines = commands.map((c) => `  flagship ${c.name.padEnd(22)} ${c.summary}`);
  return ["Usage:", ...lines, "", "Add --help after a command for its options."].join("\n");
}

/** Runs the command named by argv and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const command = commands.find((c) => {
    const words = c.name.split(" ");
    return words.every((w, i) => argv[i] === w);
  });
  if (!command) {
    process.stderr.write(`${argv.length ? `Unknown command: ${argv.join(" ")}\n\n` : ""}${usage()}\n`);
    return 2;
  }
  const rest = argv.slice(command.name.split(" ").length);
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
