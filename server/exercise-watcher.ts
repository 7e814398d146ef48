/**
 * Development convenience: reload the course when exercise files change. fs.watch fires several
 * events per save, so changes are debounced into one reload. Reloading never touches submissions.
 */
import { watch, type FSWatcher } from "node:fs";
import type { Course } from "./course";
import type { Logger } from "./logger";

export function watchExercises(course: Course, logger: Logger, debounceMs = 300): FSWatcher | undefined {
  let timer: NodeJS.Timeout | undefined;
  try {
    const watcher = watch(course.dirs.exercisesDir, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        course
          .reload()
          .then((report) => {
            logger.info({ event: "course_reloaded", ...report }, "exercise files changed: course reloaded");
          })
          .catch((err: unknown) => logger.error({ err }, "reloading the course failed"));
      }, debounceMs);
    });
    // Never keep the process alive just to watch files.
    watcher.unref();
    return watcher;
  } catch (err) {
    logger.warn({ err }, "cannot watch the exercises folder; use the Reload button");
    return undefined;
  }
}
