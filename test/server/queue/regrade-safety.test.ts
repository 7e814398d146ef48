/**
 * The instructor's regrade of a code exercise, through the real app, queue, grader and sandbox: any
 * number in a row keeps a correct submission's full marks, the run counter starts again each time, and
 * the old result stays in force while the new grading waits.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../helpers/app";
import { LocalGradingQueue } from "../../../server/queue/local-queue";
import { gradeJobFor } from "../../../server/queue/grade-job";
import { createLogger } from "../../../server/logger";
import { studentGrade } from "../../../server/grades";

const id = "checkout-fallbacks";
const reference = readFileSync(`exercises/${id}/solution.ts`, "utf8");
let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp({ GRADER_WORKERS: "1" });
});
afterAll(() => t.close());

const row = (sid: number) =>
  t.db.prepare("SELECT status, score, attempts_run FROM submissions WHERE id = ?").get(sid) as {
    status: string;
    score: number | null;
    attempts_run: number;
  };
const filledHistory = (sid: number) =>
  t.db
    .prepare("SELECT count(*) FROM regrade_history WHERE submission_id = ? AND new_result IS NOT NULL")
    .pluck()
    .get(sid) as number;

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 4800; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe("regrading a code exercise", () => {
  it("five times in a row keeps the reference's full marks, with the run counter reset each time", async () => {
    await t.queue.start();
    const { user, password } = await makeUser(t.db);
    const student = await signIn(t.app, user.email, password);
    const csrf = (await student.get("/api/session")).body.csrfToken as string;
    const sid = (
      await student
        .post(`/api/exercises/${id}/submissions`)
        .set("X-CSRF-Token", csrf)
        .send({ answer: { code: reference } })
    ).body.id as number;
    await until("graded", () => row(sid).status === "graded");
    expect(row(sid)).toEqual({ status: "graded", score: 18, attempts_run: 1 });

    const admin = await makeUser(t.db, "instructor");
    const instructor = await signIn(t.app, admin.user.email, admin.password);
    for (let n = 1; n <= 5; n++) {
      const res = await instructor
        .post(`/admin/authoring/${id}/rerun-grading`)
        .type("form")
        .send({ _csrf: await tokenFor(instructor, `/admin/authoring/${id}`) });
      expect(res.status).toBe(303);
      await until(`regrade ${n} recorded`, () => filledHistory(sid) === n);
      // Before the reset, each claim added one, and the fourth regrade became "stopped the server 3 times".
      expect(row(sid), `after regrade ${n}`).toEqual({ status: "graded", score: 18, attempts_run: 1 });
      expect(studentGrade(t.db, t.course, user.id, id)).toMatchObject({ score: 18, maxScore: 18, submissionId: sid });
    }
    const scores = t.db
      .prepare("SELECT old_score, new_score FROM regrade_history WHERE submission_id = ? ORDER BY id")
      .all(sid);
    expect(scores).toEqual(Array.from({ length: 5 }, () => ({ old_score: 18, new_score: 18 })));
    // The attempt is still one attempt, and the gradebook still has it.
    expect((await student.get(`/exercises/${id}`)).text).toContain("1 of 10 attempts used");
    const csv = await instructor.get("/admin/export/grades.csv");
    // The exercise's own column (titles here have no commas): 18 whatever other exercises there are.
    const [header = "", ...lines] = csv.text.replace(/^\uFEFF/, "").split(/\r?\n/);
    const column = header
      .split(",")
      .findIndex(
        (title) => title.endsWith("(18)") && title.startsWith(t.course.exerciseById(id)?.exercise.title ?? "?"),
      );
    expect(column).toBeGreaterThan(1);
    expect(lines.find((line) => line.includes(user.email))?.split(",")[column]).toBe("18");

    // While a regrade waits in line, the old result is the grade, and the student is told why it is being graded again.
    await t.queue.stop();
    const res = await instructor
      .post(`/admin/authoring/${id}/rerun-grading`)
      .type("form")
      .send({ _csrf: await tokenFor(instructor, `/admin/authoring/${id}`) });
    expect(res.status).toBe(303);
    expect(row(sid)).toMatchObject({ status: "queued", score: 18, attempts_run: 0 });
    expect(studentGrade(t.db, t.course, user.id, id)).toMatchObject({ score: 18 });
    const page = await student.get(`/submissions/${sid}`);
    expect(page.text).toContain("Being graded again");
    expect(page.text).toContain('<span class="score-final">18 / 18</span>');
    // A fresh queue (as after a restart) finishes it.
    const queue = new LocalGradingQueue(t.db, gradeJobFor(t.course), { workers: 1, logger: createLogger("silent") });
    await queue.start();
    try {
      await until("the waiting regrade recorded", () => filledHistory(sid) === 6);
      expect(row(sid)).toEqual({ status: "graded", score: 18, attempts_run: 1 });
    } finally {
      await queue.stop();
    }
  }, 600_000);
});
