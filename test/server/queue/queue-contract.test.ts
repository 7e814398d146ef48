/**
 * The contract every grading-queue backend keeps (server/queue/queue.ts), run against each: the
 * embedded SQLite pool and BullMQ on a real Redis. Real SQLite file, real grader, real sandbox.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { makeQueueHarness, type QueueHarness } from "../../helpers/queue-backends";
import { createSubmission } from "../../../server/submissions/submissions";
import { requeueSubmission } from "../../../server/queue/jobs";
import { createUser } from "../../../server/users/users";
import type { Db } from "../../../server/db/database";
import type { QueueBackend } from "../../../server/queue/queue";

const checkout = readFileSync("exercises/checkout-fallbacks/solution.ts", "utf8");
const darkLaunch = readFileSync("exercises/dark-launch-flag/solution.ts", "utf8");
const functionalTests = readFileSync("exercises/functional-tests/solution.ts", "utf8");

const backends: QueueBackend[] = ["sqlite", "redis"];

let counter = 0;
async function student(db: Db): Promise<number> {
  counter += 1;
  return (
    await createUser(db, {
      email: `q${counter}-${process.pid}@example.edu`,
      name: `Q ${counter}`,
      role: "student",
      password: "queue-contract-pw",
    })
  ).user.id;
}

function submit(h: QueueHarness, userId: number, exerciseId: string, code: string): number {
  const id = createSubmission(h.db, {
    userId,
    exerciseId,
    answer: { code },
    status: "queued",
    maxAttempts: 100,
    supersedeQueued: true,
  });
  h.queue.notify();
  return id;
}

const row = (db: Db, id: number) =>
  db.prepare("SELECT status, score, max_score, answer, graded_at FROM submissions WHERE id = ?").get(id) as {
    status: string;
    score: number | null;
    max_score: number | null;
    answer: string;
    graded_at: string | null;
  };

/** Polls, for up to five minutes: gradings on a loaded machine take what they take. */
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 3000; i++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe.each(backends)("the grading queue on %s", (backend) => {
  let h: QueueHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("grades a queued submission once in the sandbox, and has no place in line for it afterwards", async () => {
    h = await makeQueueHarness(backend);
    const harness = h;
    const a = await student(harness.db);
    const id = submit(harness, a, "checkout-fallbacks", checkout);
    await until("it has a place in line", () => harness.queue.position(id));
    expect(await harness.queue.position(id)).toBe(1);
    await harness.startGrading();
    expect(
      await until("a worker is alive", async () => ((await harness.queue.workersAlive()) > 0 ? true : undefined)),
    ).toBe(true);
    await until("graded", () => (row(harness.db, id).status === "graded" ? true : undefined));
    expect(row(harness.db, id)).toMatchObject({ status: "graded", score: 18, max_score: 18 });
    expect(await harness.queue.position(id)).toBeUndefined();
    // Recorded once: one verdict, no regrade history made up by a redelivery.
    expect(harness.db.prepare("SELECT count(*) FROM regrade_history WHERE submission_id = ?").pluck().get(id)).toBe(0);
  }, 600_000);

  it("puts another student's first submission ahead of a student's backlog, and bulk regrades last", async () => {
    h = await makeQueueHarness(backend);
    const harness = h;
    const [a, b, c] = [await student(harness.db), await student(harness.db), await student(harness.db)];
    // c's earlier submission, graded, then put back in line by a bulk regrade of the exercise.
    const regraded = createSubmission(harness.db, {
      userId: c,
      exerciseId: "checkout-fallbacks",
      answer: { code: checkout },
      status: "queued",
      maxAttempts: 100,
    });
    harness.db
      .prepare(
        "UPDATE submissions SET status = 'graded', score = 18, max_score = 18, result = NULL, graded_at = '2026-01-01T00:00:00.000Z', created_at = '2026-01-01T00:00:00.000Z' WHERE id = ?",
      )
      .run(regraded);
    requeueSubmission(harness.db, regraded, { bulk: true });
    const a1 = submit(harness, a, "checkout-fallbacks", checkout);
    const a2 = submit(harness, a, "dark-launch-flag", darkLaunch);
    const a3 = submit(harness, a, "functional-tests", functionalTests);
    const b1 = submit(harness, b, "checkout-fallbacks", checkout);
    const expected = [a1, b1, a2, a3, regraded];
    const positions = async () => Promise.all(expected.map((id) => harness.queue.position(id)));
    await until("all are in line", async () => ((await positions()).every((p) => p !== undefined) ? true : undefined));
    expect(await positions()).toEqual([1, 2, 3, 4, 5]);

    await harness.startGrading();
    await until("all graded", () =>
      expected.every((id) => row(harness.db, id).status === "graded") ? true : undefined,
    );
    // One worker grades one at a time, so the order the verdicts were stamped is the order of the line.
    const order = harness.db
      .prepare(`SELECT id FROM submissions WHERE id IN (${expected.join(",")}) ORDER BY graded_at, id`)
      .pluck()
      .all();
    expect(order).toEqual(expected);
    for (const id of expected) expect(row(harness.db, id).score).toBe(row(harness.db, id).max_score);
  }, 900_000);

  it("replaces a student's queued submission with their newer one, keeping the row but not the code", async () => {
    h = await makeQueueHarness(backend);
    const harness = h;
    const a = await student(harness.db);
    const first = submit(harness, a, "checkout-fallbacks", `${checkout}\n// first\n`);
    await until("the first is in line", () => harness.queue.position(first));
    const newer = submit(harness, a, "checkout-fallbacks", checkout);
    expect(row(harness.db, first)).toMatchObject({ status: "superseded", answer: "{}" });
    expect(await harness.queue.position(first)).toBeUndefined();
    await until("the newer is in line", () => harness.queue.position(newer));
    expect(await harness.queue.position(newer)).toBe(1);
    await harness.startGrading();
    await until("the newer graded", () => (row(harness.db, newer).status === "graded" ? true : undefined));
    expect(row(harness.db, first)).toMatchObject({ status: "superseded", graded_at: null, score: null });
  }, 600_000);
});
