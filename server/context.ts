import type { Config } from "./config";
import type { Db } from "./db/database";
import type { Logger } from "./logger";
import type { Course } from "./course";
import type { GradingQueue } from "./queue/queue";
import type { LaunchHooks } from "./lti/routes/launch";

/** What every route factory receives: built once at startup (or per test). */
export interface AppContext {
  config: Config;
  db: Db;
  logger: Logger;
  course: Course;
  /** Absent when code grading is not running (e.g. in tests of other areas). */
  queue?: GradingQueue;
  /** What an LTI launch sets off beyond signing in (main.ts starts a roster sync on an instructor's launch). */
  ltiHooks?: LaunchHooks;
}
