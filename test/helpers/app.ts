/**
 * Test factories: a real SQLite file in a fresh temp directory per call, the real app, and small
 * helpers to create users and sign in through the real login form (CSRF included).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import type { Express } from "express";
import { loadConfig, type Config } from "../../server/config";
import { openDatabase, type Db } from "../../server/db/database";
import { createLogger } from "../../server/logger";
import { loadCourse, type Course } from "../../server/course";
import { createApp } from "../../server/app";
import { createUser, type Role, type User } from "../../server/users/users";
import { LocalGradingQueue } from "../../server/queue/local-queue";
import { gradeJobFor } from "../../server/queue/grade-job";

export interface TestApp {
  app: Express;
  db: Db;
  config: Config;
  course: Course;
  dataDir: string;
  /** Builds a second app on the same database file, as a restart would. */
  queue: LocalGradingQueue;
  restart(): Promise<TestApp>;
  close(): Promise<void>;
}

export const testSecret = "test-secret-that-is-at-least-32-characters-long";

/**
 * The queue is built but not started: tests of code grading call `t.queue.start()` so that tests
 * of other areas never spawn sandboxes.
 */
export async function makeTestApp(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), "flagship-test-")),
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env });
  const db = openDatabase(join(dataDir, "flagship.db"));
  const course = await loadCourse({
    contentDir: config.CONTENT_DIR,
    exercisesDir: config.EXERCISES_DIR,
    markdown: { imageHosts: config.MARKDOWN_IMAGE_HOSTS },
  });
  const logger = createLogger("silent");
  const queue = new LocalGradingQueue(db, gradeJobFor(course), { workers: config.GRADER_WORKERS, logger });
  const app = createApp({ config, db, logger, course, queue }, { sessionSecret: testSecret });
  return {
    app,
    db,
    config,
    course,
    dataDir,
    queue,
    async restart() {
      await queue.stop();
      db.close();
      return makeTestApp(env, dataDir);
    },
    async close() {
      await queue.stop();
      if (db.open) db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export async function makeUser(db: Db, role: Role = "student"): Promise<{ user: User; password: string }> {
  counter += 1;
  return createUser(db, { email: `${role}${counter}-${process.pid}@example.edu`, name: `${role} ${counter}`, role });
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no CSRF token in page");
  return match[1];
}

/** A supertest agent (keeps cookies) signed in through the real login form. */
export async function signIn(app: Express, email: string, password: string) {
  const agent = request.agent(app);
  const page = await agent.get("/login");
  const res = await agent
    .post("/login")
    .type("form")
    .send({ email, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 302) throw new Error(`sign-in failed with ${res.status}`);
  return agent;
}

/** Fetches a page and returns a CSRF token valid for the agent's session. */
export async function tokenFor(agent: ReturnType<typeof request.agent>, path = "/"): Promise<string> {
  const page = await agent.get(path);
  return csrfFrom(page.text);
}
