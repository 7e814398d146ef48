/**
 * The course as loaded from files: lecture modules (and, as graders are added, exercises). Loaded at
 * startup; a file that fails validation is logged and left out while the rest is served.
 */
import { loadModules, type Module } from "./content/modules";

export interface Course {
  modules: Module[];
  /** Problems found while loading, one line each with file and field. */
  problems: string[];
  moduleById(id: string): Module | undefined;
}

export function loadCourse(dirs: { contentDir: string }): Course {
  const { modules, errors } = loadModules(dirs.contentDir);
  return {
    modules,
    problems: errors,
    moduleById: (id) => modules.find((m) => m.id === id),
  };
}
