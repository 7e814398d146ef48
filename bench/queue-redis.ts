/**
 * The grading queue on Redis: BENCH_SUBMISSIONS (default 1,000) checkout submissions queued at once
 * and drained by `flagship worker` processes (one, then two) through a redis-server of the bench's
 * own, with the web server's side (hand-over and recording) in this process; then the same burst on
 * the embedded SQLite queue. Checks that none is lost (every one graded once, with full marks) and
 * prints the throughputs side by side. On one machine the worker processes share its cores, so two
 * processes show the cost of the hand-over, not a speed-up; on N machines it is N times the cores.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { openDatabase, type Db } from "../server/db/database";
import { queryValue } from "../server/db/query";
import { loadCourse, type Course } from "../server/course";
import { createLogger } from "../server/logger";
import { LocalGradingQueue } from "../server/queue/local-queue";
import { gradeJobFor } from "../server/queue/grade-job";
import type { GradingQueue } from "../server/queue/queue";
import { RedisGradingQueue } from "../server/queue/redis/redis-queue";
import { createSubmission } from "../server/submissions/submissions";
import { createUser } from "../server/users/users";
import { startRedis } from "../test/helpers/redis-server";

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 1000);
const STUDENTS = 50;

async function freshDb(dir: string): Promise<{ db: Db; students: number[] }> {
  const db = openDatabase(join(dir, "flagship.db"));
  const students: number[] = [];
  for (let i = 0; i < STUDENTS; i++)
    students.push(
      (await createUser(db, { email: `b${i}@example.edu`, name: `B${i}`, role: "student", password: "bench-password" }))
        .user.id,
    );
  return { db, students };
}

function queueAll(db: Db, students: number[], code: string, queue: GradingQueue): void {
  for (let i = 0; i < SUBMISSIONS; i++) {
    createSubmission(db, {
      userId: students[i % students.length]!,
      exerciseId: "checkout-fallbacks",
      answer: { code },
      status: "queued",
      maxAttempts: 1_000_000,
    });
  }
  queue.notify();
}

async function drain(db: Db): Promise<number> {
  const start = performance.now();
  const count = (sql: string) => queryValue(db, sql, [], z.number()) ?? 0;
  while (count("SELECT count(*) FROM submissions WHERE status IN ('queued', 'running')") > 0)
    await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - start) / 1000;
  const rows = count("SELECT count(*) FROM submissions");
  const full = count("SELECT count(*) FROM submissions WHERE status = 'graded' AND score = max_score");
  if (rows !== SUBMISSIONS || full !== SUBMISSIONS)
    throw new Error(`lost or wrong: ${rows} rows, ${full} graded with full marks, of ${SUBMISSIONS}`);
  return seconds;
}

function startWorker(url: string, concurrency: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["bin/flagship.js", "worker"], {
    env: { ...process.env, REDIS_URL: url, GRADER_CONCURRENCY: String(concurrency), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const check = setInterval(() => {
      // The sandbox banner is printed once the worker is about to connect; give it a moment more via the queue's worker count.
      if (output.includes("Code grading:")) {
        clearInterval(check);
        resolve(child);
      } else if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`worker exited:\n${output}`));
      }
    }, 50);
  });
}

async function redisRun(
  course: Course,
  code: string,
  processes: number,
): Promise<{ seconds: number; concurrency: number }> {
  const dir = mkdtempSync(join(tmpdir(), "flagship-bench-redis-"));
  const redis = await startRedis();
  const { db, students } = await freshDb(dir);
  const queue = new RedisGradingQueue(db, course, {
    url: redis.url,
    logger: createLogger("silent"),
    graderWorkers: 0,
    lockMs: 30_000,
  });
  const concurrency = Math.max(1, Math.floor(availableParallelism() / processes));
  const workers: ChildProcess[] = [];
  try {
    await queue.start();
    for (let i = 0; i < processes; i++) workers.push(await startWorker(redis.url, concurrency));
    while ((await queue.workersAlive()) < processes) await new Promise((r) => setTimeout(r, 100));
    queueAll(db, students, code, queue);
    return { seconds: await drain(db), concurrency };
  } finally {
    for (const w of workers) w.kill("SIGKILL");
    await queue.stop();
    db.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sqliteRun(course: Course, code: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "flagship-bench-sqlite-"));
  const { db, students } = await freshDb(dir);
  const queue = new LocalGradingQueue(db, gradeJobFor(course), {
    workers: availableParallelism(),
    logger: createLogger("silent"),
  });
  try {
    queueAll(db, students, code, queue);
    await queue.start();
    return await drain(db);
  } finally {
    await queue.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchQueueRedis(): Promise<void> {
  const course = await loadCourse({ contentDir: "content", exercisesDir: "exercises" });
  const code = readFileSync("exercises/checkout-fallbacks/solution.ts", "utf8");
  const line = (label: string, seconds: number) =>
    console.log(
      `${label.padEnd(44)} ${SUBMISSIONS} drained in ${seconds.toFixed(1)} s = ${(SUBMISSIONS / seconds).toFixed(1)} submissions/s, none lost`,
    );
  const one = await redisRun(course, code, 1);
  line(`Redis, 1 worker process x ${one.concurrency}`, one.seconds);
  const two = await redisRun(course, code, 2);
  line(`Redis, 2 worker processes x ${two.concurrency}`, two.seconds);
  line(`SQLite, in-process pool x ${availableParallelism()}`, await sqliteRun(course, code));
}
