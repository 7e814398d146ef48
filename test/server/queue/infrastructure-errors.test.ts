/**
 * Gradings the machinery could not finish, through the real app, database and queue. The queue's
 * GradeJob is its injection point: here it reports infrastructure errors on command and otherwise
 * grades with the real grader in the real sandbox. The queue's clock is moved by the test, so the
 * 1/5/15-minute backoff is exercised without waiting.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Express } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config";
import { openDatabase, type Db } from "../../../server/db/database";
import { createLogger } from "../../../server/logger";
import { loadCourse, type Course } from "../../../server/course";
import { createApp } from "../../../server/app";
import { LocalGradingQueue, type GradeJob } from "../../../server/queue/local-queue";
import { gradeJobFor } from "../../../server/queue/grade-job";
import { compileErrorResult, infrastructureErrorResult } from "../../../grader/result";
import { studentGrade } from "../../../server/grades";
import { makeUser, signIn, testSecret, tokenFor } from "../../helpers/app";

const id = "checkout-fallbacks";
const reference = readFileSync(`exercises/${id}/solution.ts`, "utf8");

/** What the next grading does: "infra" fails on the machinery, "compile" refuses the code, "real" grades it. */
type Mode = "infra" | "compile" | "real";

let dataDir: string;
let db: Db;
let course: Course;
let app: Express;
let queue: LocalGradingQueue;
let clock = Date.parse("2026-12-01T10:00:00Z");
let mode: Mode = "real";
let runs = 0;
/** Held open to keep a grading "running" while the test acts; resolved to let it finish. */
let gate: Promise<void> | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "flagship-infra-"));
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir, LOG_LEVEL: "silent" });
  db = openDatabase(join(dataDir, "flagship.db"));
  course = await loadCourse({ contentDir: config.CONTENT_DIR, exercisesDir: config.EXERCISES_DIR });
  const logger = createLogger("silent");
  const real = gradeJobFor(course);
  const grade: GradeJob = async (job) => {
    runs += 1;
    if (gate) await gate;
    if (mode === "infra")
      return infrastructureErrorResult(0, "a fresh sandbox could not start: the engine host exited (code 137)");
    if (mode === "compile") return compileErrorResult(18, "line 1, column 7: Unexpected token");
    return real(job);
  };
  queue = new LocalGradingQueue(db, grade, { workers: 1, logger, now: () => clock });
  app = createApp({ config, db, logger, course, queue }, { sessionSecret: testSecret });
  await queue.start();
});
afterAll(async () => {
  await queue.stop();
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function student() {
  const { user, password } = await makeUser(db);
  const agent = await signIn(app, user.email, password);
  const csrf = (await agent.get("/api/session")).body.csrfToken as string;
  const submit = async (code = reference) => {
    const res = await agent
      .post(`/api/exercises/${id}/submissions`)
      .set("X-CSRF-Token", csrf)
      .send({ answer: { code } });
    if (res.status !== 201) throw new Error(`submit answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id as number;
  };
  return { user, agent, submit };
}

interface Row {
  status: string;
  score: number | null;
  retry_at: string | null;
  infra_retries: number;
  infra_error: string | null;
  attempts_run: number;
}
const row = (submissionId: number) =>
  db
    .prepare("SELECT status, score, retry_at, infra_retries, infra_error, attempts_run FROM submissions WHERE id = ?")
    .get(submissionId) as Row;

/** Polls the database until `done` holds; the limit is generous (the sandbox is slow on a busy machine). */
async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 4800; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

const minutes = (n: number) => n * 60_000;
/** Each test grades with the real sandbox a few times: generous, for a loaded two-core machine. */
const GENEROUS = 600_000;

describe("a grading the machinery cannot finish", () => {
  it(
    "is not an attempt, has no score, says it will be retried, and is retried after 1, 5 and 15 minutes",
    async () => {
      const s = await student();
      mode = "infra";
      const sid = await s.submit();
      await until("the first grading failed", () => row(sid).status === "infrastructure_error");
      expect(row(sid)).toMatchObject({
        score: null,
        infra_retries: 1,
        retry_at: new Date(clock + minutes(1)).toISOString(),
      });
      expect(studentGrade(db, course, s.user.id, id)).toBeUndefined();

      const page = await s.agent.get(`/submissions/${sid}`);
      expect(page.text).toContain("could not be graded, it will be retried");
      expect(page.text).toContain("This does not use one of your attempts.");
      const exercise = await s.agent.get(`/exercises/${id}`);
      expect(exercise.text).toContain("0 of 10 attempts used");
      expect(exercise.text).toContain("Could not be graded, it will be retried (not an attempt)");
      expect(exercise.text).toContain("Submission 1 could not be graded, it will be retried");
      expect((await s.agent.get("/")).text).toContain("Could not be graded, it will be retried");
      const api = await s.agent.get(`/api/submissions/${sid}`);
      expect(api.body).toMatchObject({ status: "infrastructure_error", attemptNumber: 1, retryAt: row(sid).retry_at });

      // Not yet due: nothing happens. Then each retry waits longer, and the third is the last.
      const before = runs;
      clock += minutes(1) - 1000;
      await new Promise((r) => setTimeout(r, 1500));
      expect(runs).toBe(before);
      for (const [n, wait] of [
        [2, 5],
        [3, 15],
        [4, undefined],
      ] as const) {
        clock += minutes(16);
        await until(`retry ${n} ran`, () => row(sid).infra_retries === n);
        expect(row(sid).retry_at).toBe(wait === undefined ? null : new Date(clock + minutes(wait)).toISOString());
      }
      expect(row(sid).status).toBe("infrastructure_error");
      expect((await s.agent.get(`/submissions/${sid}`)).text).toContain("Automatic retries ran out");

      // Staff see the reason in the review queue, under its own filter, and retry it by hand.
      const { user: taUser, password } = await makeUser(db, "ta");
      const ta = await signIn(app, taUser.email, password);
      const queuePage = await ta.get(`/staff/exercises/${id}`).query({ status: "infrastructure-error" });
      expect(queuePage.text).toContain(`href="/staff/submissions/${sid}"`);
      expect(queuePage.text).toContain("a fresh sandbox could not start");
      expect(queuePage.text).toContain("No automatic retry left");
      const noCsrf = await ta.post(`/staff/submissions/${sid}/retry-grading`).type("form").send({});
      expect(noCsrf.status).toBe(403);
      expect(row(sid).status).toBe("infrastructure_error");

      mode = "real";
      const retry = await ta
        .post(`/staff/submissions/${sid}/retry-grading`)
        .type("form")
        .send({ _csrf: await tokenFor(ta, `/staff/submissions/${sid}`) });
      expect(retry.status).toBe(303);
      await until("the staff retry graded it", () => row(sid).status === "graded");
      expect(row(sid)).toMatchObject({ score: 18, retry_at: null, infra_error: null, infra_retries: 0 });
      expect(db.prepare("SELECT action, detail FROM grade_audit WHERE submission_id = ?").all(sid)).toEqual([
        { action: "grading_retried", detail: "a fresh sandbox could not start: the engine host exited (code 137)" },
      ]);
      expect((await s.agent.get(`/exercises/${id}`)).text).toContain("1 of 10 attempts used");
      expect(studentGrade(db, course, s.user.id, id)).toMatchObject({ score: 18, submissionId: sid });
      // Nothing left to retry now: the button refuses politely.
      const again = await ta
        .post(`/staff/submissions/${sid}/retry-grading`)
        .type("form")
        .send({ _csrf: await tokenFor(ta, `/staff/submissions/${sid}`) });
      expect(again.status).toBe(303);
      expect(db.prepare("SELECT count(*) FROM grade_audit WHERE submission_id = ?").pluck().get(sid)).toBe(1);
    },
    GENEROUS,
  );

  it(
    "never replaces an earlier score: a regrade that fails on the machinery leaves the old result in force",
    async () => {
      mode = "real";
      const s = await student();
      const sid = await s.submit();
      await until("graded", () => row(sid).status === "graded");
      expect(row(sid).score).toBe(18);

      mode = "infra";
      const { user: admin, password } = await makeUser(db, "instructor");
      const instructor = await signIn(app, admin.email, password);
      const regrade = await instructor
        .post(`/admin/authoring/${id}/rerun-grading`)
        .type("form")
        .send({ _csrf: await tokenFor(instructor, `/admin/authoring/${id}`) });
      expect(regrade.status).toBe(303);
      await until("the regrade failed", () => row(sid).infra_error !== null);
      expect(row(sid)).toMatchObject({ status: "graded", score: 18, infra_retries: 1 });
      expect(studentGrade(db, course, s.user.id, id)).toMatchObject({ score: 18 });
      const page = await s.agent.get(`/submissions/${sid}`);
      expect(page.text).toContain("A new grading could not be finished");
      expect(page.text).toContain('<span class="score-final">18 / 18</span>');
      const history = () =>
        db
          .prepare(
            "SELECT old_score, new_score, new_result IS NULL AS waiting FROM regrade_history WHERE submission_id = ?",
          )
          .get(sid);
      expect(history()).toEqual({ old_score: 18, new_score: null, waiting: 1 });

      // The automatic retry grades it; the history gets its new result.
      mode = "real";
      clock += minutes(2);
      await until("the retried regrade recorded", () => row(sid).infra_error === null && row(sid).status === "graded");
      expect(history()).toEqual({ old_score: 18, new_score: 18, waiting: 0 });
    },
    GENEROUS,
  );

  it(
    "regrades a submission that was being graded when the regrade was asked, once that grading is recorded",
    async () => {
      mode = "real";
      const s = await student();
      let open: () => void = () => {};
      gate = new Promise((resolve) => (open = resolve));
      const sid = await s.submit();
      await until("running", () => row(sid).status === "running");
      const { user: admin, password } = await makeUser(db, "instructor");
      const instructor = await signIn(app, admin.email, password);
      const regrade = await instructor
        .post(`/admin/authoring/${id}/rerun-grading`)
        .type("form")
        .send({ _csrf: await tokenFor(instructor, `/admin/authoring/${id}`) });
      expect(regrade.status).toBe(303);
      expect(db.prepare("SELECT regrade_pending_by FROM submissions WHERE id = ?").pluck().get(sid)).toBe(admin.id);
      const before = runs;
      gate = undefined;
      open();
      await until(
        "regraded after the first grading",
        () =>
          runs >= before + 1 &&
          row(sid).status === "graded" &&
          (db
            .prepare("SELECT count(*) FROM regrade_history WHERE submission_id = ? AND new_result IS NOT NULL")
            .pluck()
            .get(sid) as number) === 1,
      );
      expect(row(sid)).toMatchObject({ score: 18, attempts_run: 1 });
      expect(
        db.prepare("SELECT old_score, new_score, regraded_by FROM regrade_history WHERE submission_id = ?").all(sid),
      ).toEqual([{ old_score: 18, new_score: 18, regraded_by: admin.id }]);
    },
    GENEROUS,
  );

  it(
    "does not count code that did not compile as an attempt, nor let a newer submission be graded twice",
    async () => {
      const s = await student();
      mode = "compile";
      // More than the 10 attempts the exercise allows: none of them is one.
      const ids: number[] = [];
      for (let i = 0; i < 11; i++) {
        ids.push(await s.submit(`export const broken${i} = ;`));
        await until("compile error recorded", () => row(ids[i]!).status === "compile_error");
      }
      const page = await s.agent.get(`/exercises/${id}`);
      expect(page.text).toContain("0 of 10 attempts used");
      expect(page.text).toContain("Did not compile (not an attempt)");
      expect(page.text).toContain("Submission 11");
      const result = await s.agent.get(`/submissions/${ids[10]}`);
      expect(result.text).toContain("This does not use one of your attempts.");

      // An infrastructure error waiting for its retry is replaced by a newer submission, not graded after it.
      mode = "infra";
      const failed = await s.submit();
      await until("infrastructure error", () => row(failed).status === "infrastructure_error");
      mode = "real";
      const newer = await s.submit();
      expect(row(failed)).toMatchObject({ status: "superseded", retry_at: null });
      await until("the newer one graded", () => row(newer).status === "graded");
      expect((await s.agent.get(`/exercises/${id}`)).text).toContain("1 of 10 attempts used");
    },
    GENEROUS,
  );
});
