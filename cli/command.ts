/** A command's words and how to load it: a command's module is imported only when it runs. */
export interface CliEntry {
  /** One or more words, e.g. "user add" or "grade". */
  name: string;
  load: () => Promise<CliCommand>;
}

export interface CliCommand {
  summary: string;
  help: string;
  /** Receives the arguments after the command words; returns the exit code. */
  run(args: string[]): Promise<number>;
}

/** Bad arguments: `main` prints the message and the command's help and exits 2. */
export class UsageError extends Error {}
