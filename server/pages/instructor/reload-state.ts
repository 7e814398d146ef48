/**
 * Exercises whose grading changed in a reload and whose submissions have not been regraded since,
 * so the authoring page can offer the regrade. Kept per Course object, in memory: after a restart the
 * offer is gone but the instructor can still regrade any exercise from its page.
 */
import type { Course } from "../../course";

const changedByCourse = new WeakMap<Course, Set<string>>();

export function rememberChanged(course: Course, ids: readonly string[]): void {
  const set = changedByCourse.get(course) ?? new Set<string>();
  for (const id of ids) set.add(id);
  changedByCourse.set(course, set);
}

export function changedExercises(course: Course): Set<string> {
  return changedByCourse.get(course) ?? new Set<string>();
}

export function forgetChanged(course: Course, id: string): void {
  changedByCourse.get(course)?.delete(id);
}
