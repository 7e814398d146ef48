import type { Config } from "./config";
import type { Db } from "./db/database";
import type { Logger } from "./logger";
import type { Course } from "./course";

/** What every route factory receives: built once at startup (or per test). */
export interface AppContext {
  config: Config;
  db: Db;
  logger: Logger;
  course: Course;
}
