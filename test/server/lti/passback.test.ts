/** Grades back to the LMS through the durable outbox, against the fake platform's AGS endpoints. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { readDataFile } from "../../../grader/exercises";
import { launch, startLtiWorld, until, type LtiWorld } from "./launch-helpers";
import { makeUser, signIn, tokenFor } from "../../helpers/app";
import { LtiOutboxSender } from "../../../server/lti/outbox-sender";
import { createLogger } from "../../../server/logger";
import type { OutboxRow } from "../../../server/lti/outbox";
import { insertOverride } from "../../../server/review/overrides";
import { releaseFeedback } from "../../../server/review/release";

const EXERCISE = "purchase-dependencies";
const retry = { baseMs: 50, maxMs: 400 };

let w: LtiWorld;
beforeAll(async () => {
  w = await startLtiWorld();
});
afterAll(() => w.close());

const sender = () =>
  new LtiOutboxSender(w.t.db, w.t.course, { intervalMs: 60_000, retry, logger: createLogger("silent") });
const rows = () => w.t.db.prepare("SELECT * FROM lti_outbox ORDER BY id").all() as OutboxRow[];

describe("grade passback", () => {
  it("keeps a score while the LMS is down, across a restart, and delivers it once when it is back", async () => {
    const agent = request.agent(w.url);
    const { landed } = await launch(w, agent, "stu", "ex");
    expect(landed?.headers.location).toBe(`/exercises/${EXERCISE}`);

    w.platform.down = true;
    const reference = await readDataFile(`exercises/${EXERCISE}/reference.yaml`);
    if (!reference.ok) throw new Error(reference.issue.message);
    const csrf = (await agent.get("/api/session")).body.csrfToken as string;
    const submitted = await agent
      .post(`/api/exercises/${EXERCISE}/submissions`)
      .set("X-CSRF-Token", csrf)
      .send({ answer: reference.data });
    expect(submitted.status).toBeLessThan(300);

    const first = sender();
    await until("two failed sends", async () => {
      await first.tick();
      return (rows()[0]?.attempts ?? 0) >= 2;
    });
    await first.stop();
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toMatchObject({ status: "pending", exercise_id: EXERCISE });
    expect(rows()[0]!.last_error).toContain("503");
    expect(w.platform.scores).toHaveLength(0);

    // Staff see it retrying.
    const ta = await makeUser(w.t.db, "ta");
    const staff = await signIn(w.t.app, ta.user.email, ta.password);
    const state = await staff.get("/staff/lti");
    expect(state.text).toContain("Ada Student");
    expect(state.text).toContain("Retrying");

    await w.restart();
    w.platform.down = false;
    const second = sender();
    await until("the score at the LMS", async () => {
      await second.tick();
      return w.platform.scores.length > 0;
    });
    // More passes change nothing: it was sent once.
    for (let i = 0; i < 3; i += 1) await second.tick();
    await second.stop();

    const max = rows()[0]!.score_maximum;
    expect(w.platform.scores).toHaveLength(1);
    // The exercise has manual rubric items whose feedback is still held: the LMS is told a person will look.
    expect(w.platform.scores[0]).toMatchObject({
      userId: "lms-student-1",
      scoreGiven: max,
      scoreMaximum: max,
      gradingProgress: "PendingManual",
      activityProgress: "Completed",
    });
    expect(w.platform.lineItems).toEqual([expect.objectContaining({ resourceId: EXERCISE, scoreMaximum: max })]);
    expect(w.platform.scores[0]!.lineitem).toBe(w.platform.lineItems[0]!.id);
    expect(rows()).toEqual([expect.objectContaining({ status: "sent" })]);
    expect(w.platform.tokenRequests[0]?.scope).toContain("https://purl.imsglobal.org/spec/lti-ags/scope/score");
  });

  it("sends a change made by staff: an override, once released, arrives as fully graded", async () => {
    const row = rows()[0]!;
    const submissionId = w.t.db
      .prepare("SELECT id FROM submissions WHERE user_id = ? AND exercise_id = ?")
      .pluck()
      .get(row.user_id, EXERCISE) as number;
    const ta = await makeUser(w.t.db, "ta");
    insertOverride(w.t.db, { submissionId, score: 5, reason: "checked by hand", userId: ta.user.id });
    releaseFeedback(w.t.db, EXERCISE, ta.user.id);
    const s = sender();
    await until("the changed score", async () => {
      await s.tick();
      return w.platform.scores.length === 2;
    });
    await s.stop();
    expect(w.platform.scores[1]).toMatchObject({ scoreGiven: 5, gradingProgress: "FullyGraded" });
    expect(w.platform.scores[1]!.timestamp > w.platform.scores[0]!.timestamp).toBe(true);
  });

  it("lets staff resend a score, which then arrives again", async () => {
    const ta = await makeUser(w.t.db, "ta");
    const staff = await signIn(w.t.app, ta.user.email, ta.password);
    const row = rows()[rows().length - 1]!;
    const res = await staff
      .post("/staff/lti/resend")
      .type("form")
      .send({
        contextId: row.context_id,
        userId: row.user_id,
        exerciseId: row.exercise_id,
        _csrf: await tokenFor(staff, "/staff/lti"),
      });
    expect(res.status).toBe(303);
    const s = sender();
    await until("the resent score", async () => {
      await s.tick();
      return w.platform.scores.length === 3;
    });
    await s.stop();
    expect(rows().map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
    const bad = await staff
      .post("/staff/lti/resend")
      .type("form")
      .send({ contextId: "x", _csrf: await tokenFor(staff, "/staff/lti") });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("contextId");
  });
});
