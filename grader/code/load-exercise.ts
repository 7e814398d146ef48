/** Reads a code exercise's oracle file and validates it, naming the file and field of each problem. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import type { CodeExercise } from "./grade";
import { describeIssues, oracleSchema, type Oracle } from "./oracle-schema";

export const ORACLE_FILE = "oracle.yaml";

export function parseOracle(data: unknown, file: string): { ok: true; oracle: Oracle } | { ok: false; message: string } {
  const parsed = oracleSchema.safeParse(data);
  return parsed.success ? { ok: true, oracle: parsed.data } : { ok: false, message: describeIssues(parsed.error, file) };
}

/** Loads `<dir>/oracle.yaml` (or another oracle file, for instructor variants) as a CodeExercise. */
export async function loadCodeExercise(dir: string, id: string, oracleFile = ORACLE_FILE): Promise<CodeExercise> {
  const file = join(dir, oracleFile);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new Error(`${file}: cannot read the oracle file (${error instanceof Error ? error.message : String(error)})`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid YAML (${error instanceof Error ? error.message : String(error)})`);
  }
  const result = parseOracle(data, file);
  if (!result.ok) throw new Error(result.message);
  return { id, oracle: result.oracle };
}
