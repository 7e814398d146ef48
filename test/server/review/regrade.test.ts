import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "../../helpers/app";
import { submissionBreakdown } from "../../../server/grades";
import { exerciseId, person, post, referenceAnswer, submit } from "./review-helpers";

let t: TestApp;
let nearlyRight: Record<string, unknown>;

beforeAll(async () => {
  t = await makeTestApp();
  nearlyRight = {
    ...((await referenceAnswer()) as Record<string, unknown>),
    sendEmail: { dependency: "hard", onFailure: "fail" },
  };
});
afterAll(() => t.close());

describe("feedback release", () => {
  it("hides manual feedback and the final score from the student until staff release it", async () => {
    const fresh = await makeTestApp();
    try {
      const ta = await person(fresh, "ta");
      const s = await person(fresh);
      const id = await submit(s.agent, nearlyRight);
      await post(ta.agent, `/staff/submissions/${id}/items`, {
        itemId: "rationale-email-soft",
        comment: "Nice point about sending it later",
      });

      const held = await s.agent.get(`/submissions/${id}`);
      expect(held.status).toBe(200);
      expect(held.text).toContain("have not released manual feedback");
      expect(held.text).not.toContain("Nice point about sending it later");
      expect(held.text).not.toContain('class="score-manual"');
      expect(held.text).toContain('<span class="score-final">15 / 17</span>');
      // Grader notes are for staff only, released or not.
      expect(held.text).not.toContain("Grader note");

      expect((await post(ta.agent, `/staff/exercises/${exerciseId}/feedback`, { action: "release" })).status).toBe(303);
      const released = await s.agent.get(`/submissions/${id}`);
      expect(released.text).toContain("Nice point about sending it later");
      expect(released.text).toContain('<span class="score-final">16 / 17</span>');
      expect(released.text).toContain('<li class="score-manual">Manual +1</li>');
      expect(released.text).not.toContain("Accept any wording");

      // Withdrawn: hidden again. Immediate mode: shown with no release.
      await post(ta.agent, `/staff/exercises/${exerciseId}/feedback`, { action: "withdraw" });
      expect((await s.agent.get(`/submissions/${id}`)).text).not.toContain("Nice point about sending it later");
      await post(ta.agent, `/staff/exercises/${exerciseId}/feedback`, { action: "immediate" });
      expect((await s.agent.get(`/submissions/${id}`)).text).toContain("Nice point about sending it later");
      await post(ta.agent, `/staff/exercises/${exerciseId}/feedback`, { action: "held" });
      expect((await s.agent.get(`/submissions/${id}`)).text).not.toContain("Nice point about sending it later");

      // Another student never sees this submission, released or not.
      const other = await person(fresh);
      expect((await other.agent.get(`/submissions/${id}`)).status).toBe(404);
    } finally {
      await fresh.close();
    }
  });
});

describe("regrade requests", () => {
  it("allow one open request per submission, only on one's own graded submission", async () => {
    const s = await person(t);
    const other = await person(t);
    const ta = await person(t, "ta");
    const id = await submit(s.agent, nearlyRight);

    const page = await s.agent.get(`/submissions/${id}`);
    expect(page.text).toContain(`action="/submissions/${id}/regrades"`);

    const short = await post(s.agent, `/submissions/${id}/regrades`, { reason: "bad" });
    expect(short.status).toBe(400);
    expect(short.text).toContain('id="regrade-reason-error"');
    expect(short.text).toContain(">bad</textarea>");

    expect(
      (await post(other.agent, `/submissions/${id}/regrades`, { reason: "Let me ask for them, please" })).status,
    ).toBe(404);
    expect(
      (await post(ta.agent, `/submissions/${id}/regrades`, { reason: "Staff cannot ask on a student's behalf" }))
        .status,
    ).toBe(403);

    const ok = await post(s.agent, `/submissions/${id}/regrades`, {
      reason: "The email can be sent later, so it is soft.",
    });
    expect(ok.status).toBe(303);
    const second = await post(s.agent, `/submissions/${id}/regrades`, { reason: "Asking a second time, louder." });
    expect(second.status).toBe(409);
    expect(second.text).toContain("already have an open regrade request");
    expect(t.db.prepare("SELECT count(*) FROM regrade_requests WHERE submission_id = ?").pluck().get(id)).toBe(1);

    const after = await s.agent.get(`/submissions/${id}`);
    expect(after.text).toContain("Waiting for an answer");
    expect(after.text).not.toContain(`action="/submissions/${id}/regrades"`);

    // Staff see it in the queue under "regrade requested".
    const queue = await ta.agent.get(`/staff/exercises/${exerciseId}`).query({ status: "regrade-requested" });
    expect(queue.text).toContain(`href="/staff/submissions/${id}"`);
  });

  it("accepted with an override: the score changes, the audit log records it, and the student sees the answer", async () => {
    const s = await person(t);
    const ta = await person(t, "ta");
    const id = await submit(s.agent, nearlyRight);
    await post(s.agent, `/submissions/${id}/regrades`, { reason: "My reasoning shows the email is soft." });
    const requestId = String(t.db.prepare("SELECT id FROM regrade_requests WHERE submission_id = ?").pluck().get(id));

    // Accepting needs a score change; the input is kept.
    const missing = await post(ta.agent, `/staff/submissions/${id}/regrade`, {
      requestId,
      decision: "accept",
      response: "You are right",
      score: "",
      itemId: "",
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("give a new score or pick a rubric item");
    expect(missing.text).toContain(">You are right</textarea>");

    const res = await post(ta.agent, `/staff/submissions/${id}/regrade`, {
      requestId,
      decision: "accept",
      response: "You are right: full marks.",
      score: "17",
      itemId: "",
    });
    expect(res.status).toBe(303);
    expect(submissionBreakdown(t.db, t.course, id)).toMatchObject({
      final: 17,
      override: { score: 17, reason: "You are right: full marks." },
    });
    const actions = t.db
      .prepare("SELECT action, before_score, after_score FROM grade_audit WHERE submission_id = ? ORDER BY id")
      .all(id);
    expect(actions).toEqual([
      { action: "override_set", before_score: 15, after_score: 17 },
      { action: "regrade_accepted", before_score: 17, after_score: 17 },
    ]);

    const page = await s.agent.get(`/submissions/${id}`);
    expect(page.text).toContain("Accepted");
    expect(page.text).toContain("You are right: full marks.");
    // A new request is possible once the old one is answered.
    expect(page.text).toContain(`action="/submissions/${id}/regrades"`);

    // Answering twice is refused.
    const again = await post(ta.agent, `/staff/submissions/${id}/regrade`, {
      requestId,
      decision: "decline",
      response: "No",
    });
    expect(again.status).toBe(400);
    expect(t.db.prepare("SELECT status FROM regrade_requests WHERE id = ?").pluck().get(requestId)).toBe("accepted");
  });

  it("accepted with a rubric item, or declined with an explanation the student reads", async () => {
    const s = await person(t);
    const ta = await person(t, "ta");
    const id = await submit(s.agent, nearlyRight);
    await post(s.agent, `/submissions/${id}/regrades`, { reason: "I explained the retry for eligible customers." });
    let requestId = String(
      t.db.prepare("SELECT id FROM regrade_requests WHERE submission_id = ? AND status = 'open'").pluck().get(id),
    );
    expect(
      (
        await post(ta.agent, `/staff/submissions/${id}/regrade`, {
          requestId,
          decision: "accept",
          response: "Indeed.",
          score: "",
          itemId: "rationale-eligible-retry",
        })
      ).status,
    ).toBe(303);
    expect(submissionBreakdown(t.db, t.course, id)).toMatchObject({ manual: 1, final: 16 });

    await post(s.agent, `/submissions/${id}/regrades`, { reason: "And the email one should count too." });
    requestId = String(
      t.db.prepare("SELECT id FROM regrade_requests WHERE submission_id = ? AND status = 'open'").pluck().get(id),
    );
    const noWhy = await post(ta.agent, `/staff/submissions/${id}/regrade`, {
      requestId,
      decision: "decline",
      response: "",
    });
    expect(noWhy.status).toBe(400);
    expect(noWhy.text).toContain("Answer is required");
    expect(
      (
        await post(ta.agent, `/staff/submissions/${id}/regrade`, {
          requestId,
          decision: "decline",
          response: "You chose a hard dependency for the email.",
        })
      ).status,
    ).toBe(303);
    expect(submissionBreakdown(t.db, t.course, id)?.final).toBe(16);
    expect(t.db.prepare("SELECT action FROM grade_audit WHERE submission_id = ? ORDER BY id").pluck().all(id)).toEqual([
      "item_applied",
      "regrade_accepted",
      "regrade_declined",
    ]);

    const page = await s.agent.get(`/submissions/${id}`);
    expect(page.text).toContain("Declined");
    expect(page.text).toContain("You chose a hard dependency for the email.");
    const staffPage = await ta.agent.get(`/staff/submissions/${id}`);
    expect(staffPage.text).toContain("Regrade declined");
  });
});
