/**
 * The course as loaded from files: lecture modules and exercises. Loaded at startup and reloadable in
 * place; a file that fails validation is logged and left out while the rest is served. On a reload,
 * an exercise whose files stopped loading keeps its last good version (see keepLastGood), so one
 * typo does not take it off students' pages, the staff queues and the grade export.
 */
import { join, sep } from "node:path";
import { loadModules, type Module } from "./content/modules";
import { renderMarkdown, type MarkdownPolicy } from "./content/markdown";
import { loadExercises, type Exercise, type LoadIssue } from "../grader/exercises";
import type { FormExercise, TextExercise } from "../grader/exercises/types";

interface CourseEntry<E extends Exercise> {
  exercise: E;
  /** The prompt rendered to sanitized HTML once, at load. */
  promptHtml: string;
}

/** An exercise as the course serves it; narrowed by `isCodeExercise` to how it is answered. */
export type CourseExercise = CourseEntry<FormExercise> | CourseEntry<TextExercise>;

function courseEntry(exercise: Exercise, promptHtml: string): CourseExercise {
  // Two identical literals: in each branch the exercise is narrowed, so each matches one member.
  return exercise.answerShape ? { exercise, promptHtml } : { exercise, promptHtml };
}

/** Code kinds (and the YAML policy) are answered with one file; only structured exercises have a form. */
export function isCodeExercise(entry: CourseExercise): entry is CourseEntry<TextExercise> {
  return entry.exercise.answerShape === undefined;
}

export interface Course {
  modules: Module[];
  exercises: CourseExercise[];
  /** Problems found while loading, one line each with file and field. */
  problems: string[];
  /** The same exercise problems, structured as `flagship exercises check` reports them. */
  loadIssues: LoadIssue[];
  /** Where the course files were loaded from, for reloading and authoring. */
  dirs: CourseDirs;
  moduleById(id: string): Module | undefined;
  exerciseById(id: string): CourseExercise | undefined;
  exercisesForModule(moduleId: string): CourseExercise[];
  /**
   * Reads the files again and replaces this Course's contents in place, so every route and the
   * grading queue (which hold this object) see the new exercises. Submissions live in the database
   * and are untouched.
   */
  reload(): Promise<ReloadReport>;
  /**
   * Exercises whose grading changed in a reload and whose submissions have not been regraded since,
   * so the authoring page can offer the regrade. In memory: after a restart the offer is gone, but the
   * instructor can still regrade any exercise from its page.
   */
  changedSinceRegrade: Set<string>;
}

export interface CourseDirs {
  contentDir: string;
  exercisesDir: string;
  /** Where Markdown images may come from (MARKDOWN_IMAGE_HOSTS); the site's own files only when absent. */
  markdown?: MarkdownPolicy;
}

export interface ReloadReport {
  added: string[];
  removed: string[];
  /** Exercises whose grading (rubric, oracle, points or answer shape) changed. */
  changed: string[];
  /** Exercises whose files no longer load, still served as they last loaded. */
  kept: string[];
  problems: number;
}

type CourseContents = Pick<Course, "modules" | "exercises" | "problems" | "loadIssues">;

async function loadContents(dirs: CourseDirs): Promise<CourseContents> {
  const { modules, errors } = loadModules(dirs.contentDir, dirs.markdown);
  const loaded = await loadExercises(dirs.exercisesDir);
  const exercises = loaded.exercises.map((exercise) =>
    courseEntry(exercise, renderMarkdown(exercise.prompt, dirs.markdown).html),
  );
  sortExercises(exercises, modules);
  return {
    modules,
    exercises,
    problems: [...errors, ...loaded.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`)],
    loadIssues: loaded.errors,
  };
}

/** Lecture order, then id. */
function sortExercises(exercises: CourseExercise[], modules: Module[]): void {
  const moduleOrder = new Map(modules.map((m) => [m.id, m.order]));
  exercises.sort(
    (a, b) =>
      (moduleOrder.get(a.exercise.module) ?? 99) - (moduleOrder.get(b.exercise.module) ?? 99) ||
      a.exercise.id.localeCompare(b.exercise.id),
  );
}

/**
 * Puts back every exercise that loaded before and now fails to load while its folder is still there
 * (a deleted folder is a real removal); its load problems stay listed. Returns the ids kept.
 */
function keepLastGood(previous: CourseExercise[], next: CourseContents, exercisesDir: string): string[] {
  const kept: string[] = [];
  for (const entry of previous) {
    const id = entry.exercise.id;
    if (next.exercises.some((e) => e.exercise.id === id)) continue;
    const folder = join(exercisesDir, id) + sep;
    if (!next.loadIssues.some((issue) => issue.file.startsWith(folder))) continue;
    next.exercises.push(entry);
    kept.push(id);
  }
  return kept;
}

/** What decides a grade; a change here means existing submissions may deserve a regrade. */
function gradingFingerprint(entry: CourseExercise): string {
  const { exercise } = entry;
  try {
    return JSON.stringify([exercise.points, exercise.answerShape ?? null, exercise.body]);
  } catch {
    // A body that cannot be serialized is compared by identity: treat every reload as a change.
    return String(Math.random());
  }
}

export async function loadCourse(dirs: CourseDirs): Promise<Course> {
  let pending: Promise<unknown> = Promise.resolve();
  const course: Course = {
    ...(await loadContents(dirs)),
    dirs,
    moduleById: (id) => course.modules.find((m) => m.id === id),
    exerciseById: (id) => course.exercises.find((e) => e.exercise.id === id),
    exercisesForModule: (moduleId) => course.exercises.filter((e) => e.exercise.module === moduleId),
    changedSinceRegrade: new Set<string>(),
    reload: () => {
      // One reload at a time: a burst of file events must not interleave two loads. A reload that
      // fails must not fail every later one, so the chain goes on from a settled promise.
      const run = pending
        .catch(() => undefined)
        .then(async () => {
          const before = new Map(course.exercises.map((e) => [e.exercise.id, gradingFingerprint(e)]));
          const next = await loadContents(dirs);
          const kept = keepLastGood(course.exercises, next, dirs.exercisesDir);
          sortExercises(next.exercises, next.modules);
          Object.assign(course, next);
          const after = new Map(next.exercises.map((e) => [e.exercise.id, gradingFingerprint(e)]));
          const changed = [...after].filter(([id, print]) => before.has(id) && before.get(id) !== print);
          for (const [id] of changed) course.changedSinceRegrade.add(id);
          return {
            added: [...after.keys()].filter((id) => !before.has(id)),
            removed: [...before.keys()].filter((id) => !after.has(id)),
            changed: changed.map(([id]) => id),
            kept,
            problems: next.problems.length,
          };
        });
      pending = run;
      return run;
    },
  };
  return course;
}
