/**
 * The course as loaded from files: lecture modules and exercises. Loaded at startup; a file that fails
 * validation is logged and left out while the rest is served.
 */
import { loadModules, type Module } from "./content/modules";
import { renderMarkdown } from "./content/markdown";
import { loadExercises, type Exercise } from "../grader/exercises";

export interface CourseExercise {
  exercise: Exercise;
  /** The prompt rendered to sanitized HTML once, at load. */
  promptHtml: string;
}

export interface Course {
  modules: Module[];
  exercises: CourseExercise[];
  /** Problems found while loading, one line each with file and field. */
  problems: string[];
  moduleById(id: string): Module | undefined;
  exerciseById(id: string): CourseExercise | undefined;
  exercisesForModule(moduleId: string): CourseExercise[];
}

export async function loadCourse(dirs: { contentDir: string; exercisesDir: string }): Promise<Course> {
  const { modules, errors } = loadModules(dirs.contentDir);
  const loaded = await loadExercises(dirs.exercisesDir);
  const exercises = loaded.exercises.map((exercise) => ({ exercise, promptHtml: renderMarkdown(exercise.prompt).html }));
  const moduleOrder = new Map(modules.map((m) => [m.id, m.order]));
  exercises.sort(
    (a, b) => (moduleOrder.get(a.exercise.module) ?? 99) - (moduleOrder.get(b.exercise.module) ?? 99) || a.exercise.id.localeCompare(b.exercise.id),
  );
  return {
    modules,
    exercises,
    problems: [...errors, ...loaded.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`)],
    moduleById: (id) => modules.find((m) => m.id === id),
    exerciseById: (id) => exercises.find((e) => e.exercise.id === id),
    exercisesForModule: (moduleId) => exercises.filter((e) => e.exercise.module === moduleId),
  };
}
