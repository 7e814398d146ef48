/**
 * The grading queue's backends, built the same way for the contract test: a real SQLite file, the
 * real course and grader, and a queue whose grading starts only when the test says so (so places in
 * line can be read first).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Db } from "../../server/db/database";
import { loadCourse, type Course } from "../../server/course";
import { createLogger } from "../../server/logger";
import { LocalGradingQueue } from "../../server/queue/local-queue";
import { gradeJobFor } from "../../server/queue/grade-job";
import type { GradingQueue, QueueBackend } from "../../server/queue/queue";
import { RedisGradingQueue } from "../../server/queue/redis/redis-queue";
import { RedisGraderWorker } from "../../server/queue/redis/grader-worker";
import { startRedis } from "./redis-server";

export interface QueueHarness {
  db: Db;
  course: Course;
  queue: GradingQueue;
  /** Starts grading with one worker (one at a time, so the order of gradings is the order of the line). */
  startGrading(): Promise<void>;
  close(): Promise<void>;
}

export async function makeQueueHarness(backend: QueueBackend): Promise<QueueHarness> {
  const dir = mkdtempSync(join(tmpdir(), `flagship-queue-${backend}-`));
  const db = openDatabase(join(dir, "flagship.db"));
  const course = await loadCourse({ contentDir: "content", exercisesDir: "exercises" });
  const logger = createLogger("silent");
  const cleanup = () => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  if (backend === "sqlite") {
    const queue = new LocalGradingQueue(db, gradeJobFor(course), { workers: 1, logger });
    return {
      db,
      course,
      queue,
      startGrading: () => queue.start(),
      async close() {
        await queue.stop();
        cleanup();
      },
    };
  }
  // Redis: the web server's side hands over and records (no grader of its own); grading starts
  // when a grader worker, as `flagship worker` runs it, joins.
  const redis = await startRedis();
  const queue = new RedisGradingQueue(db, course, { url: redis.url, logger, graderWorkers: 0, lockMs: 30_000 });
  const worker = new RedisGraderWorker({
    url: redis.url,
    concurrency: 1,
    exercisesDir: "exercises",
    logger,
    lockMs: 30_000,
  });
  try {
    await queue.start();
  } catch (err) {
    await redis.stop();
    cleanup();
    throw err;
  }
  return {
    db,
    course,
    queue,
    startGrading: () => worker.start(),
    async close() {
      await worker.stop();
      await queue.stop();
      await redis.stop();
      cleanup();
    },
  };
}
