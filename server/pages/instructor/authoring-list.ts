/**
 * What the authoring page lists: every exercise folder, loaded or not, with its problems located by
 * file and field path (the loader's issues, as `flagship exercises check` prints them).
 */
import { relative, sep } from "node:path";
import type { Course } from "../../course";
import type { LoadIssue } from "../../../grader/exercises";

export interface AuthoringEntry {
  /** The folder name (equal to the id when the manifest loaded). */
  folder: string;
  title: string;
  kind?: string;
  points?: number;
  loaded: boolean;
  issues: Array<LoadIssue & { shortFile: string }>;
}

export function authoringEntries(course: Course): AuthoringEntry[] {
  const root = course.dirs.exercisesDir;
  const byFolder = new Map<string, AuthoringEntry>();
  for (const { exercise } of course.exercises) {
    byFolder.set(exercise.id, {
      folder: exercise.id,
      title: exercise.title,
      kind: exercise.kind,
      points: exercise.points,
      loaded: true,
      issues: [],
    });
  }
  for (const issue of course.loadIssues) {
    const shortFile = relative(root, issue.file);
    const folder = shortFile.startsWith("..") ? "(exercises folder)" : (shortFile.split(sep)[0] ?? shortFile);
    const entry = byFolder.get(folder) ?? { folder, title: folder, loaded: false, issues: [] };
    entry.issues.push({ ...issue, shortFile });
    byFolder.set(folder, entry);
  }
  return [...byFolder.values()].sort((a, b) => Number(a.loaded) - Number(b.loaded) || a.folder.localeCompare(b.folder));
}
