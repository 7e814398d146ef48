/**
 * Deadline burst: 200 code submissions queued at once on a fresh database, drained by the real
 * LocalGradingQueue (one worker per core, each grading in its own sandboxed child). Prints how fast
 * the queue drains and how long the last student waited.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { openDatabase } from "../server/db/database";
import { queryValue } from "../server/db/query";
import { loadCourse } from "../server/course";
import { createLogger } from "../server/logger";
import { LocalGradingQueue } from "../server/queue/local-queue";
import { gradeJobFor } from "../server/queue/grade-job";
import { createSubmission } from "../server/submissions/submissions";
import { createUser } from "../server/users/users";

const SUBMISSIONS = 200;

export async function benchQueueThroughput(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flagship-bench-queue-"));
  const db = openDatabase(join(dir, "flagship.db"));
  try {
    const course = await loadCourse({ contentDir: "content", exercisesDir: "exercises" });
    const code = readFileSync("exercises/checkout-fallbacks/solution.ts", "utf8");
    const students = 20;
    const ids: number[] = [];
    for (let i = 0; i < students; i++)
      ids.push(
        (
          await createUser(db, {
            email: `b${i}@example.edu`,
            name: `B${i}`,
            role: "student",
            password: "bench-password",
          })
        ).user.id,
      );
    for (let i = 0; i < SUBMISSIONS; i++) {
      createSubmission(db, {
        userId: ids[i % students]!,
        exerciseId: "checkout-fallbacks",
        answer: { code },
        status: "queued",
        maxAttempts: 1000,
      });
    }
    const workers = Number(process.env.BENCH_WORKERS ?? availableParallelism());
    const queue = new LocalGradingQueue(db, gradeJobFor(course), { workers, logger: createLogger("silent") });
    const start = performance.now();
    await queue.start();
    const count = (sql: string) => queryValue(db, sql, [], z.number()) ?? 0;
    while (count("SELECT count(*) FROM submissions WHERE status IN ('queued', 'running')") > 0)
      await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - start) / 1000;
    await queue.stop();
    const wrong = count("SELECT count(*) FROM submissions WHERE status != 'graded' OR score != max_score");
    if (wrong > 0) throw new Error(`${wrong} submissions were not graded with full marks`);
    console.log(
      `${SUBMISSIONS} checkout submissions, ${workers} workers: drained in ${seconds.toFixed(1)} s = ${(SUBMISSIONS / seconds).toFixed(1)} submissions/s (target >= 10)`,
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
