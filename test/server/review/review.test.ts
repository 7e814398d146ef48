import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "../../helpers/app";
import { gradeBreakdown, submissionBreakdown } from "../../../server/grades";
import { CLAIM_MINUTES } from "../../../server/review/claims";
import { deleteDeadline } from "../../../server/deadlines/deadlines";
import { grantExtension } from "../../../server/deadlines/extensions";
import { exerciseId, person, post, referenceAnswer, submit } from "./review-helpers";

let t: TestApp;
let reference: unknown;
/** Scores 15 of 17: email handled as a hard dependency. */
let nearlyRight: Record<string, unknown>;

beforeAll(async () => {
  t = await makeTestApp();
  reference = await referenceAnswer();
  nearlyRight = { ...(reference as Record<string, unknown>), sendEmail: { dependency: "hard", onFailure: "fail" } };
});
afterAll(() => t.close());

describe("the review queue", () => {
  it("filters by status, student and final score, and shows the statuses", async () => {
    const ta = await person(t, "ta");
    const ann = await person(t);
    const bob = await person(t);
    const annId = await submit(ann.agent, reference);
    const bobId = await submit(bob.agent, nearlyRight);

    const all = await ta.agent.get(`/staff/exercises/${exerciseId}`);
    expect(all.status).toBe(200);
    expect(all.text).toContain(`href="/staff/submissions/${annId}"`);
    expect(all.text).toContain(`href="/staff/submissions/${bobId}"`);

    const byStudent = await ta.agent.get(`/staff/exercises/${exerciseId}`).query({ student: ann.user.email });
    expect(byStudent.text).toContain(`href="/staff/submissions/${annId}"`);
    expect(byStudent.text).not.toContain(`href="/staff/submissions/${bobId}"`);

    // Blank filter boxes (as a browser sends them) filter nothing.
    const blank = await ta.agent
      .get(`/staff/exercises/${exerciseId}`)
      .query({ status: "", student: "", minScore: "", maxScore: "" });
    expect(blank.text).toContain(`href="/staff/submissions/${annId}"`);
    expect(blank.text).toContain(`href="/staff/submissions/${bobId}"`);

    const low = await ta.agent.get(`/staff/exercises/${exerciseId}`).query({ maxScore: "16" });
    expect(low.text).toContain(`href="/staff/submissions/${bobId}"`);
    expect(low.text).not.toContain(`href="/staff/submissions/${annId}"`);

    // Overriding Ann moves her from "needs review" to "overridden".
    expect(
      (await post(ta.agent, `/staff/submissions/${annId}/override`, { score: "10", reason: "Copied answer" })).status,
    ).toBe(303);
    const overridden = await ta.agent.get(`/staff/exercises/${exerciseId}`).query({ status: "overridden" });
    expect(overridden.text).toContain(`href="/staff/submissions/${annId}"`);
    expect(overridden.text).not.toContain(`href="/staff/submissions/${bobId}"`);
    const pending = await ta.agent.get(`/staff/exercises/${exerciseId}`).query({ status: "needs-review" });
    expect(pending.text).toContain(`href="/staff/submissions/${bobId}"`);
    expect(pending.text).not.toContain(`href="/staff/submissions/${annId}"`);
    // Final-score filter uses the overridden score.
    const lowAfter = await ta.agent.get(`/staff/exercises/${exerciseId}`).query({ maxScore: "10" });
    expect(lowAfter.text).toContain(`href="/staff/submissions/${annId}"`);

    // An exercise with no manual items never needs review: its submissions are auto-graded.
    const other = await ta.agent.get("/staff/exercises/rollout-plan").query({ status: "needs-review" });
    expect(other.status).toBe(200);
    expect(other.text).toContain("No submissions match.");
  });

  it("never gives two TAs the same submission from next ungraded, and hands it on once the claim expires", async () => {
    const fresh = await makeTestApp();
    try {
      const s1 = await person(fresh);
      const s2 = await person(fresh);
      const first = await submit(s1.agent, nearlyRight);
      const second = await submit(s2.agent, nearlyRight);
      const ta1 = await person(fresh, "ta");
      const ta2 = await person(fresh, "ta");
      const ta3 = await person(fresh, "instructor");

      const next = async (agent: typeof ta1.agent) => {
        const res = await post(agent, `/staff/exercises/${exerciseId}/next`);
        expect(res.status).toBe(303);
        return res.headers.location;
      };
      // Both TAs ask at once: they get different submissions.
      const [a, b] = await Promise.all([next(ta1.agent), next(ta2.agent)]);
      expect(new Set([a, b])).toEqual(new Set([`/staff/submissions/${first}`, `/staff/submissions/${second}`]));
      // Asking again returns the one you already hold.
      expect(await next(ta1.agent)).toBe(a);
      // A third TA finds nothing free.
      expect(await next(ta3.agent)).toBe(`/staff/exercises/${exerciseId}`);

      const claim = fresh.db
        .prepare("SELECT expires_at FROM review_claims WHERE user_id = ?")
        .pluck()
        .get(ta1.user.id) as number;
      expect(claim - Date.now()).toBeGreaterThan((CLAIM_MINUTES - 1) * 60_000);
      expect(claim - Date.now()).toBeLessThanOrEqual(CLAIM_MINUTES * 60_000);
      // Ten minutes later TA 1's claim has lapsed: TA 3 gets that submission.
      fresh.db.prepare("UPDATE review_claims SET expires_at = ? WHERE user_id = ?").run(Date.now() - 1, ta1.user.id);
      expect(await next(ta3.agent)).toBe(a);

      // Marking reviewed takes a submission out of "next ungraded" for good.
      expect((await post(ta3.agent, `${a}/reviewed`)).status).toBe(303);
      fresh.db.prepare("DELETE FROM review_claims").run();
      expect(await next(ta1.agent)).toBe(b);
      expect((await post(ta1.agent, `${b}/reviewed`)).status).toBe(303);
      expect(await next(ta2.agent)).toBe(`/staff/exercises/${exerciseId}`);
    } finally {
      await fresh.close();
    }
  });
});

describe("which attempt needs review", () => {
  it("under best-attempt scoring, queues the attempt that counts, and moves on if review changes which one that is", async () => {
    const ta = await person(t, "ta");
    const s = await person(t);
    // A perfect first attempt (auto 17) then a worse one (auto 15): the first counts.
    const first = await submit(s.agent, reference);
    const second = await submit(s.agent, nearlyRight);
    const needing = async () => {
      const page = await ta.agent
        .get(`/staff/exercises/${exerciseId}`)
        .query({ status: "needs-review", student: s.user.email });
      return [first, second].filter((id) => page.text.includes(`href="/staff/submissions/${id}"`));
    };
    expect(await needing()).toEqual([first]);
    expect((await ta.agent.get(`/staff/submissions/${first}`)).text).toContain("This attempt counts for the grade");
    expect((await ta.agent.get(`/staff/submissions/${second}`)).text).toContain(
      `<a href="/staff/submissions/${first}">Submission 1</a> counts for the grade`,
    );

    // Reviewing the first with a deduction (17 - 1 = 16) keeps it counting; an override below 15 hands the grade to the second.
    expect(
      (await post(ta.agent, `/staff/submissions/${first}/items`, { itemId: "rationale-contradicts-choices" })).status,
    ).toBe(303);
    expect(await needing()).toEqual([]);
    expect(
      (await post(ta.agent, `/staff/submissions/${first}/override`, { score: "10", reason: "Copied rationale" }))
        .status,
    ).toBe(303);
    expect(await needing()).toEqual([second]);
    expect(gradeBreakdown(t.db, t.course, s.user.id, exerciseId)?.submissionId).toBe(second);
  });

  it("shows a student the attempt that counts by the scores they can see while feedback is held", async () => {
    const instructor = await person(t, "instructor");
    const ta = await person(t, "ta");
    const s = await person(t);
    expect((await post(instructor.agent, `/staff/exercises/${exerciseId}/feedback`, { action: "held" })).status).toBe(
      303,
    );
    try {
      const first = await submit(s.agent, reference);
      await submit(s.agent, nearlyRight);
      expect(
        (await post(ta.agent, `/staff/submissions/${first}/override`, { score: "10", reason: "Copied rationale" }))
          .status,
      ).toBe(303);
      // The held override must not show: the student's 17 still counts, and the page does not hint otherwise.
      const page = (await s.agent.get(`/exercises/${exerciseId}`)).text;
      expect(page).toMatch(
        /Current grade: <span class="score-view score-view-cell" data-final="17"><span class="score-final">17 \/ 17<\/span>/,
      );
      // In the attempts table the first attempt carries the "counts" mark, in its own row.
      expect(page).toMatch(
        new RegExp(
          `17 / 17</span>(?:(?!</tr>)[\\s\\S])*score-counts">counts: your best attempt(?:(?!</tr>)[\\s\\S])*/submissions/${first}"`,
        ),
      );
      expect(
        (await post(instructor.agent, `/staff/exercises/${exerciseId}/feedback`, { action: "release" })).status,
      ).toBe(303);
      expect((await s.agent.get(`/exercises/${exerciseId}`)).text).toMatch(
        /Current grade: <span class="score-view score-view-cell" data-final="15"><span class="score-final">15 \/ 17<\/span>/,
      );
    } finally {
      await post(instructor.agent, `/staff/exercises/${exerciseId}/feedback`, { action: "immediate" });
    }
  });
});

describe("manual rubric items and overrides", () => {
  it("add manual points within [0, max], refuse bad input at the field, and overrides win", async () => {
    const ta = await person(t, "ta");
    const s = await person(t);
    const id = await submit(s.agent, nearlyRight);
    expect(submissionBreakdown(t.db, t.course, id)).toMatchObject({ auto: 15, manual: 0, final: 15, max: 17 });

    expect(
      (await post(ta.agent, `/staff/submissions/${id}/items`, { itemId: "rationale-email-soft", comment: "Good why" }))
        .status,
    ).toBe(303);
    expect(submissionBreakdown(t.db, t.course, id)).toMatchObject({ manual: 1, final: 16 });
    expect(
      (await post(ta.agent, `/staff/submissions/${id}/items`, { itemId: "rationale-eligible-retry", comment: "" }))
        .status,
    ).toBe(303);
    expect(submissionBreakdown(t.db, t.course, id)).toMatchObject({ manual: 2, final: 17 });

    // Applying the same item twice, or an item of another exercise, is refused at the field.
    const twice = await post(ta.agent, `/staff/submissions/${id}/items`, {
      itemId: "rationale-email-soft",
      comment: "again",
    });
    expect(twice.status).toBe(400);
    expect(twice.text).toContain("is already applied");
    const long = await post(ta.agent, `/staff/submissions/${id}/items`, {
      itemId: "rationale-contradicts-choices",
      comment: "x".repeat(2001),
    });
    expect(long.status).toBe(400);
    expect(long.text).toContain("must be at most 2000 characters");
    expect(long.text).toContain(`value="${"x".repeat(2001)}"`);
    const foreign = await post(ta.agent, `/staff/submissions/${id}/items`, { itemId: "rationale-week-over-week" });
    expect(foreign.status).toBe(400);
    expect(foreign.text).toContain("is not a manual rubric item of this exercise");

    // The page shows the grader note to staff.
    const page = await ta.agent.get(`/staff/submissions/${id}`);
    expect(page.text).toContain("Grader note:");
    expect(page.text).toContain('<li class="score-final-part">Final 17 / 17</li>');
    expect(page.text).toContain('<li class="score-manual">Manual +2</li>');

    // Full marks plus a bonus stays at max; a top score minus a deduction never goes below 0.
    const full = await submit(s.agent, reference);
    await post(ta.agent, `/staff/submissions/${full}/items`, { itemId: "rationale-email-soft" });
    expect(submissionBreakdown(t.db, t.course, full)).toMatchObject({ auto: 17, manual: 1, final: 17 });
    const empty = await submit(s.agent, {
      ...(reference as Record<string, unknown>),
      sendEmail: { dependency: "hard", onFailure: "fail" },
      getPricing: { dependency: "hard", onFailureNotEligible: "fail", onFailureEligible: "fail" },
      updateCart: { dependency: "hard", onFailure: "fail" },
      getUser: { dependency: "soft", onFailure: "ignore" },
      businessMetrics: ["cpu"],
    });
    const auto = submissionBreakdown(t.db, t.course, empty)!.auto;
    expect(auto).toBeLessThan(1);
    await post(ta.agent, `/staff/submissions/${empty}/items`, { itemId: "rationale-contradicts-choices" });
    expect(submissionBreakdown(t.db, t.course, empty)!.final).toBe(0);

    // Overrides need a reason and stay within [0, max].
    const noReason = await post(ta.agent, `/staff/submissions/${id}/override`, { score: "12", reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('id="ov-reason-error"');
    expect(noReason.text).toContain('value="12"');
    const tooHigh = await post(ta.agent, `/staff/submissions/${id}/override`, { score: "18", reason: "Bonus" });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.text).toContain("must be at most 17");
    const negative = await post(ta.agent, `/staff/submissions/${id}/override`, { score: "-1", reason: "Bonus" });
    expect(negative.status).toBe(400);
    // A blank score is not 0, and hex or exponent spellings are not numbers a person types.
    for (const score of ["", "  ", "0x5", "1e1", "12abc"]) {
      const bad = await post(ta.agent, `/staff/submissions/${id}/override`, { score, reason: "Bonus" });
      expect(bad.status, `score ${JSON.stringify(score)}`).toBe(400);
      expect(bad.text).toContain('id="ov-score-error"');
    }
    expect(submissionBreakdown(t.db, t.course, id)?.override).toBeUndefined();
    expect(
      (
        await post(ta.agent, `/staff/submissions/${id}/override`, {
          score: "12.5",
          reason: "Rationale copied from a classmate",
        })
      ).status,
    ).toBe(303);
    expect(submissionBreakdown(t.db, t.course, id)).toMatchObject({
      final: 12.5,
      override: { score: 12.5, reason: "Rationale copied from a classmate" },
    });
    expect(
      (await post(ta.agent, `/staff/submissions/${id}/override/clear`, { reason: "Checked: own work" })).status,
    ).toBe(303);
    expect(submissionBreakdown(t.db, t.course, id)).toMatchObject({ final: 17 });
    expect(submissionBreakdown(t.db, t.course, id)?.override).toBeUndefined();

    // Removing an item needs a reason and lowers the score again.
    const markId = t.db
      .prepare("SELECT id FROM manual_marks WHERE submission_id = ? AND item_id = 'rationale-eligible-retry'")
      .pluck()
      .get(id) as number;
    expect(
      (await post(ta.agent, `/staff/submissions/${id}/items/remove`, { markId: String(markId), reason: "" })).status,
    ).toBe(400);
    expect(
      (
        await post(ta.agent, `/staff/submissions/${id}/items/remove`, {
          markId: String(markId),
          reason: "Misread the answer",
        })
      ).status,
    ).toBe(303);
    expect(submissionBreakdown(t.db, t.course, id)).toMatchObject({ manual: 1, final: 16 });
  });

  it("recomputes every score that uses an item when the item's points are edited", async () => {
    const ta = await person(t, "ta");
    const students = [await person(t), await person(t)];
    const ids: number[] = [];
    for (const s of students) {
      const id = await submit(s.agent, nearlyRight);
      await post(ta.agent, `/staff/submissions/${id}/items`, { itemId: "rationale-email-soft", comment: "" });
      ids.push(id);
    }
    expect(ids.map((id) => submissionBreakdown(t.db, t.course, id)?.final)).toEqual([16, 16]);
    const item = t.course.exerciseById(exerciseId)!.exercise.manualRubric.find((i) => i.id === "rationale-email-soft")!;
    const original = item.points;
    try {
      // As after an instructor edits exercise.yaml and the course reloads: only the definition changes.
      item.points = 1.5;
      expect(ids.map((id) => submissionBreakdown(t.db, t.course, id)?.final)).toEqual([16.5, 16.5]);
      expect(gradeBreakdown(t.db, t.course, students[0]!.user.id, exerciseId)?.final).toBe(16.5);
      const page = await ta.agent.get(`/staff/submissions/${ids[0]}`);
      expect(page.text).toContain("16.5 / 17");
    } finally {
      item.points = original;
    }
  });

  it("keeps an audit log of every change, shown on the staff submission page", async () => {
    const ta = await person(t, "ta");
    const s = await person(t);
    const id = await submit(s.agent, nearlyRight);
    await post(ta.agent, `/staff/submissions/${id}/items`, {
      itemId: "rationale-email-soft",
      comment: "Clear reasoning",
    });
    await post(ta.agent, `/staff/submissions/${id}/override`, { score: "14", reason: "Late rationale edit" });
    await post(ta.agent, `/staff/submissions/${id}/override`, { score: "13", reason: "Second look" });
    await post(ta.agent, `/staff/submissions/${id}/override/clear`, { reason: "Undo" });
    const markId = t.db.prepare("SELECT id FROM manual_marks WHERE submission_id = ?").pluck().get(id) as number;
    await post(ta.agent, `/staff/submissions/${id}/items/remove`, { markId: String(markId), reason: "Wrong student" });

    const log = t.db
      .prepare(
        "SELECT action, before_score, after_score, reason, actor_id FROM grade_audit WHERE submission_id = ? ORDER BY id",
      )
      .all(id);
    expect(log).toEqual([
      { action: "item_applied", before_score: 15, after_score: 16, reason: "Clear reasoning", actor_id: ta.user.id },
      {
        action: "override_set",
        before_score: 16,
        after_score: 14,
        reason: "Late rationale edit",
        actor_id: ta.user.id,
      },
      { action: "override_set", before_score: 14, after_score: 13, reason: "Second look", actor_id: ta.user.id },
      { action: "override_cleared", before_score: 13, after_score: 16, reason: "Undo", actor_id: ta.user.id },
      { action: "item_removed", before_score: 16, after_score: 15, reason: "Wrong student", actor_id: ta.user.id },
    ]);
    // Nothing was overwritten: both overrides and the removed mark are still there, stamped.
    expect(
      t.db
        .prepare("SELECT count(*) FROM grade_overrides WHERE submission_id = ? AND cleared_at IS NOT NULL")
        .pluck()
        .get(id),
    ).toBe(2);
    expect(
      t.db
        .prepare("SELECT count(*) FROM manual_marks WHERE submission_id = ? AND removed_at IS NOT NULL")
        .pluck()
        .get(id),
    ).toBe(1);

    const page = await ta.agent.get(`/staff/submissions/${id}`);
    for (const label of [
      "Rubric item applied",
      "Override set",
      "Override cleared",
      "Rubric item removed",
      "Late rationale edit",
      "Wrong student",
    ]) {
      expect(page.text).toContain(label);
    }
    // Refused changes leave no trace of a change that did not happen.
    await post(ta.agent, `/staff/submissions/${id}/override`, { score: "99", reason: "x" });
    expect(t.db.prepare("SELECT count(*) FROM grade_audit WHERE submission_id = ?").pluck().get(id)).toBe(5);
  });
});

describe("the staff submission view", () => {
  it("shows the answer, the automatic result per rule, other attempts, and the time against the deadline", async () => {
    const ta = await person(t, "ta");
    const s = await person(t);
    const first = await submit(s.agent, nearlyRight);
    t.db
      .prepare(
        "INSERT INTO exercise_deadlines (exercise_id, due_at, late_policy) VALUES (?, ?, 'penalty') ON CONFLICT (exercise_id) DO UPDATE SET due_at = excluded.due_at",
      )
      .run(exerciseId, "2020-01-01T00:00:00.000Z");
    const second = await submit(s.agent, reference).catch(() => undefined);
    const page = await ta.agent.get(`/staff/submissions/${first}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Answer as submitted");
    // Named as the form names it, not by its key.
    expect(page.text).toContain("Send the discount email");
    expect(page.text).toContain("test test-fail");
    expect(page.text).toContain("after the deadline");
    if (second) expect(page.text).toContain(`/staff/submissions/${second}`);
    // The student's extension is the deadline that applies to them.
    grantExtension(
      t.db,
      { exerciseId, userId: s.user.id, dueAt: "2999-01-01T00:00:00.000Z", lateUntil: null },
      ta.user.id,
    );
    const extended = await ta.agent.get(`/staff/submissions/${first}`);
    expect(extended.text).toContain("(extension)");
    expect(extended.text).toContain("before the deadline");
    deleteDeadline(t.db, exerciseId);
  });
});

describe("the staff view of code", () => {
  it("shows code with line numbers and the counterexample of a failing rule", async () => {
    const ta = await person(t, "ta");
    const s = await person(t);
    const result = {
      status: "graded",
      score: 0,
      maxScore: 1,
      tests: [
        {
          id: "email-soft",
          name: "Email never blocks",
          status: "fail",
          points: 0,
          maxPoints: 1,
          message: "The order failed",
          counterexample: { faults: ["sendEmail"] },
        },
      ],
    };
    const id = Number(
      t.db
        .prepare(
          "INSERT INTO submissions (user_id, exercise_id, answer, status, result, score, max_score) VALUES (?, 'checkout-fallbacks', ?, 'graded', ?, 0, 1)",
        )
        .run(
          s.user.id,
          JSON.stringify({ code: "export function checkout() {\n  return <b>1</b>;\n}" }),
          JSON.stringify(result),
        ).lastInsertRowid,
    );
    const page = await ta.agent.get(`/staff/submissions/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '<ol class="code-lines" tabindex="0" aria-label="Submitted code"><li><code>export function checkout() {</code></li><li><code>  return &lt;b&gt;1&lt;/b&gt;;</code></li>',
    );
    expect(page.text).toContain("Counterexample");
    expect(page.text).toContain("sendEmail");
  });
});

describe("authorization", () => {
  it("gives students 403 on every staff route, and TAs no way to change roles, deadlines or exercises", async () => {
    const s = await person(t);
    const id = await submit(s.agent, nearlyRight);
    const gets = ["/staff", `/staff/exercises/${exerciseId}`, `/staff/submissions/${id}`];
    for (const path of gets) expect((await s.agent.get(path)).status, path).toBe(403);
    const posts = [
      [`/staff/exercises/${exerciseId}/next`, {}],
      [`/staff/exercises/${exerciseId}/feedback`, { action: "release" }],
      [`/staff/submissions/${id}/items`, { itemId: "rationale-email-soft" }],
      [`/staff/submissions/${id}/items/remove`, { markId: "1", reason: "x" }],
      [`/staff/submissions/${id}/override`, { score: "17", reason: "mine" }],
      [`/staff/submissions/${id}/override/clear`, { reason: "x" }],
      [`/staff/submissions/${id}/regrade`, { requestId: "1", decision: "accept", response: "x", score: "17" }],
      [`/staff/submissions/${id}/reviewed`, {}],
    ] as const;
    for (const [path, fields] of posts) expect((await post(s.agent, path, { ...fields })).status, path).toBe(403);
    expect(t.db.prepare("SELECT count(*) FROM grade_audit WHERE submission_id = ?").pluck().get(id)).toBe(0);
    expect(t.db.prepare("SELECT count(*) FROM review_claims").pluck().get()).toBe(0);

    const ta = await person(t, "ta");
    expect((await ta.agent.get("/staff")).status).toBe(200);
    expect((await ta.agent.get("/admin/users")).status).toBe(403);
    expect((await post(ta.agent, `/admin/users/${s.user.id}/role`, { role: "instructor" })).status).toBe(403);
    expect(t.db.prepare("SELECT role FROM users WHERE id = ?").pluck().get(s.user.id)).toBe("student");
  });

  it("shows the Staff nav link to TAs and instructors only", async () => {
    const s = await person(t);
    const ta = await person(t, "ta");
    expect((await s.agent.get("/")).text).not.toContain('href="/staff"');
    expect((await ta.agent.get("/")).text).toContain('href="/staff"');
  });
});
