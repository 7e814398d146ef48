export interface CliCommand {
  /** One or more words, e.g. "user add" or "grade". */
  name: string;
  summary: string;
  help: string;
  /** Receives the arguments after the command words; returns the exit code. */
  run(args: string[]): Promise<number>;
}
