/**
 * Everything `flagship exercises check` verifies, as one function the CLI and the tests share:
 * manifests and cross-references (the loader), lecture links, reference answers and golden samples.
 */
import { checkKeyTerms, checkLinks } from "./links";
import { loadExercises } from "./loader";
import { checkRuleWords } from "./rule-words";
import { checkExerciseSamples, updateGoldens } from "./samples";
import type { Exercise, LoadIssue } from "./types";

export interface CheckReport {
  exercises: Exercise[];
  errors: LoadIssue[];
  /** Golden files written when `update` was asked for. */
  written: string[];
}

export async function checkExerciseTree(
  rootDir: string,
  options: { contentDir?: string; update?: boolean } = {},
): Promise<CheckReport> {
  const { exercises, errors } = await loadExercises(rootDir);
  const written: string[] = [];
  if (options.contentDir)
    errors.push(
      ...(await checkLinks(exercises, options.contentDir)),
      ...(await checkKeyTerms(exercises, options.contentDir)),
    );
  for (const exercise of exercises) {
    errors.push(...checkRuleWords(exercise));
    if (options.update) written.push(...(await updateGoldens(exercise)));
    errors.push(...(await checkExerciseSamples(exercise)));
  }
  return { exercises, errors, written };
}
