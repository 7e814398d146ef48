import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, tokenFor, type TestApp } from "../../helpers/app";
import { encodeForm, toFormFields } from "../../helpers/forms";
import { agentFor, inputTime, postForm, referenceAnswer, type Agent } from "../pages/instructor/instructor-helpers";
import { submissionBreakdown } from "../../../server/grades";

let t: TestApp;
let instructor: Agent;

beforeAll(async () => {
  t = await makeTestApp();
  instructor = (await agentFor(t, "instructor")).agent;
});
afterAll(() => t.close());

/** Sets a deadline, confirmed at once (the preview has tests of its own below). */
async function setDeadline(
  exerciseId: string,
  fields: {
    opensAt?: string;
    dueAt: string;
    lateUntil?: string;
    latePolicy: string;
    penaltyPercent?: string;
    lowerScores?: string;
  },
) {
  const res = await postForm(
    instructor,
    `/admin/deadlines/${exerciseId}`,
    { opensAt: "", lateUntil: "", penaltyPercent: "0", confirm: "yes", ...fields },
    `/admin/deadlines/${exerciseId}`,
  );
  expect(res.status).toBe(303);
}

async function submitForm(agent: Agent, exerciseId: string) {
  const answer = await referenceAnswer(exerciseId);
  return agent
    .post(`/exercises/${exerciseId}/submissions`)
    .type("form")
    .send(encodeForm({ _csrf: await tokenFor(agent, `/exercises/${exerciseId}`), ...toFormFields(answer) }));
}

async function submitApi(agent: Agent, exerciseId: string) {
  const session = await agent.get("/api/session");
  return agent
    .post(`/api/exercises/${exerciseId}/submissions`)
    .set("X-CSRF-Token", session.body.csrfToken as string)
    .send({ answer: await referenceAnswer(exerciseId) });
}

function countSubmissions(userId: number, exerciseId: string): number {
  return t.db
    .prepare("SELECT count(*) FROM submissions WHERE user_id = ? AND exercise_id = ?")
    .pluck()
    .get(userId, exerciseId) as number;
}

describe("the submission window", () => {
  it("refuses submissions before the exercise opens, on the page and in the API", async () => {
    await setDeadline("rollout-plan", {
      opensAt: inputTime(24),
      dueAt: inputTime(48),
      latePolicy: "penalty",
      penaltyPercent: "10",
    });
    const { user, agent } = await agentFor(t, "student");
    // The form says so before the student fills it in: Submit is off, drafts still save.
    const form = await agent.get("/exercises/rollout-plan");
    expect(form.text).toMatch(/<button type="submit" class="primary" disabled>Submit for grading<\/button>/);
    expect(form.text).toContain("you can work on a draft until then");
    const page = await submitForm(agent, "rollout-plan");
    expect(page.status).toBe(403);
    expect(page.text).toContain("Not submitted: This exercise opens for submissions at");
    expect(page.text).toContain('id="answer-form"');
    const api = await submitApi(agent, "rollout-plan");
    expect(api.status).toBe(403);
    expect(api.body.error.code).toBe("not_open");
    expect(countSubmissions(user.id, "rollout-plan")).toBe(0);
  });

  it("refuses submissions after late-until", async () => {
    await setDeadline("compatible-changes", {
      dueAt: inputTime(-72),
      lateUntil: inputTime(-24),
      latePolicy: "penalty",
      penaltyPercent: "10",
    });
    const { user, agent } = await agentFor(t, "student");
    const page = await submitForm(agent, "compatible-changes");
    expect(page.status).toBe(409);
    expect(page.text).toContain("Late submissions for this exercise closed at");
    const api = await submitApi(agent, "compatible-changes");
    expect(api.status).toBe(409);
    expect(api.body.error.code).toBe("deadline_passed");
    expect(countSubmissions(user.id, "compatible-changes")).toBe(0);
  });

  it("refuses any late submission under the no-credit policy", async () => {
    await setDeadline("mock-drift", { dueAt: inputTime(-1), latePolicy: "no-credit" });
    const { user, agent } = await agentFor(t, "student");
    const api = await submitApi(agent, "mock-drift");
    expect(api.status).toBe(409);
    expect(api.body.error.code).toBe("deadline_passed");
    expect(api.body.error.message).toContain("late submissions earn no credit");
    expect(countSubmissions(user.id, "mock-drift")).toBe(0);
  });
});

describe("late submissions", () => {
  it("records late days and the penalty, and shows it in the score breakdown", async () => {
    // 12.5% of 16 points per started day: one hour late is one day, so −2 points.
    await setDeadline("metrics-priority-rides", {
      dueAt: inputTime(-1),
      lateUntil: inputTime(48),
      latePolicy: "penalty",
      penaltyPercent: "12.5",
    });
    const { user, agent } = await agentFor(t, "student");
    const res = await submitForm(agent, "metrics-priority-rides");
    expect(res.status).toBe(303);
    const row = t.db
      .prepare(
        "SELECT late_days, late_penalty, score FROM submissions WHERE user_id = ? AND exercise_id = 'metrics-priority-rides'",
      )
      .get(user.id) as { late_days: number; late_penalty: number; score: number };
    expect(row).toEqual({ late_days: 1, late_penalty: 2, score: 16 });
    const submissionPage = await agent.get(res.headers.location!);
    expect(submissionPage.text).toContain("−2 points: 1 day late");
    // Above the score, where it cannot be missed.
    expect(submissionPage.text.indexOf("Submitted late:")).toBeGreaterThan(0);
    expect(submissionPage.text.indexOf("Submitted late:")).toBeLessThan(
      submissionPage.text.indexOf('id="result-heading"'),
    );
    const exercisePage = await agent.get("/exercises/metrics-priority-rides");
    expect(exercisePage.text).toContain("−2 points: 1 day late");
    expect(exercisePage.text).toContain("Late: penalty applies");
    expect(exercisePage.text).toContain("Late work loses 12.5% of the points per started day late.");
    const api = await submitApi(agent, "metrics-priority-rides");
    expect(api.status).toBe(201);
  });

  it("lets one student with an extension submit after the due date without penalty", async () => {
    await setDeadline("purchase-dependencies", { dueAt: inputTime(-2), latePolicy: "no-credit" });
    const lucky = await agentFor(t, "student");
    const other = await agentFor(t, "student");
    const granted = await postForm(
      instructor,
      "/admin/deadlines/purchase-dependencies/extensions",
      { email: lucky.user.email, dueAt: inputTime(24), lateUntil: "" },
      "/admin/deadlines/purchase-dependencies",
    );
    expect(granted.status).toBe(303);
    const editPage = await instructor.get("/admin/deadlines/purchase-dependencies");
    expect(editPage.text).toContain(lucky.user.email);

    const page = await lucky.agent.get("/exercises/purchase-dependencies");
    expect(page.text).toContain("extension");
    expect((await lucky.agent.get("/")).text).toContain("(extended)");
    const ok = await submitForm(lucky.agent, "purchase-dependencies");
    expect(ok.status).toBe(303);
    const row = t.db.prepare("SELECT late_days, late_penalty FROM submissions WHERE user_id = ?").get(lucky.user.id);
    expect(row).toEqual({ late_days: 0, late_penalty: 0 });

    const refused = await submitApi(other.agent, "purchase-dependencies");
    expect(refused.status).toBe(409);
  });

  it("works late penalties out again when staff grant an extension or move the deadline afterwards", async () => {
    // rollout-plan: 23 points, 10% per started day; submitted two started days late, so −4.6.
    await setDeadline("rollout-plan", { dueAt: inputTime(-30), latePolicy: "penalty", penaltyPercent: "10" });
    const late = await agentFor(t, "student");
    const other = await agentFor(t, "student");
    for (const s of [late, other]) expect((await submitForm(s.agent, "rollout-plan")).status).toBe(303);
    const penaltyOf = (userId: number) =>
      t.db
        .prepare("SELECT late_days, late_penalty FROM submissions WHERE user_id = ? AND exercise_id = 'rollout-plan'")
        .get(userId);
    expect(penaltyOf(late.user.id)).toEqual({ late_days: 2, late_penalty: 4.6 });

    // An extension past the submission lifts that student's penalty, and only theirs: previewed first.
    const extension = { email: late.user.email, dueAt: inputTime(24), lateUntil: "" };
    const preview = await postForm(
      instructor,
      "/admin/deadlines/rollout-plan/extensions",
      extension,
      "/admin/deadlines/rollout-plan",
    );
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("Check the scores this change moves");
    expect(preview.text).toContain(late.user.email);
    expect(preview.text).toMatch(/18\.4 → 23 <span class="muted">\/ 23<\/span>/);
    expect(preview.text).not.toContain(other.user.email);
    expect(penaltyOf(late.user.id)).toEqual({ late_days: 2, late_penalty: 4.6 });
    expect(
      t.db.prepare("SELECT count(*) FROM deadline_extensions WHERE exercise_id = 'rollout-plan'").pluck().get(),
    ).toBe(0);
    const granted = await postForm(
      instructor,
      "/admin/deadlines/rollout-plan/extensions",
      { ...extension, confirm: "yes" },
      "/admin/deadlines/rollout-plan",
    );
    expect(granted.status).toBe(303);
    expect((await instructor.get("/admin/deadlines/rollout-plan")).text).toContain(
      "Late penalties were worked out again for 1 submission",
    );
    expect(penaltyOf(late.user.id)).toEqual({ late_days: 0, late_penalty: 0 });
    expect(penaltyOf(other.user.id)).toEqual({ late_days: 2, late_penalty: 4.6 });
    const submissionId = t.db
      .prepare("SELECT id FROM submissions WHERE user_id = ? AND exercise_id = 'rollout-plan'")
      .pluck()
      .get(late.user.id) as number;
    expect((await late.agent.get(`/submissions/${submissionId}`)).text).not.toContain("day late");

    // Revoking it would put the penalty back: kept unless the instructor opts in, which puts it back.
    const revokePath = `/admin/deadlines/rollout-plan/extensions/${late.user.id}/delete`;
    expect((await postForm(instructor, revokePath, {}, "/admin/deadlines/rollout-plan")).text).toContain(
      "kept unless you opt in below",
    );
    expect((await postForm(instructor, revokePath, { confirm: "yes" }, "/admin/deadlines/rollout-plan")).status).toBe(
      303,
    );
    expect(penaltyOf(late.user.id)).toEqual({ late_days: 0, late_penalty: 0 });
    await postForm(
      instructor,
      "/admin/deadlines/rollout-plan/extensions",
      { ...extension, confirm: "yes" },
      "/admin/deadlines/rollout-plan",
    );
    expect(
      (await postForm(instructor, revokePath, { confirm: "yes", lowerScores: "yes" }, "/admin/deadlines/rollout-plan"))
        .status,
    ).toBe(303);
    expect(penaltyOf(late.user.id)).toEqual({ late_days: 2, late_penalty: 4.6 });
    // Moving the class deadline later lifts everyone's.
    await setDeadline("rollout-plan", { dueAt: inputTime(1), latePolicy: "penalty", penaltyPercent: "10" });
    expect(penaltyOf(late.user.id)).toEqual({ late_days: 0, late_penalty: 0 });
    expect(penaltyOf(other.user.id)).toEqual({ late_days: 0, late_penalty: 0 });
  });

  it("never lowers the score of work submitted while no deadline was in force, unless the instructor opts in", async () => {
    // mock-drift: 17 points. Submitted with no deadline, then a deadline two started days ago at 25% a day.
    t.db.prepare("DELETE FROM exercise_deadlines WHERE exercise_id = 'mock-drift'").run();
    const s = await agentFor(t, "student");
    expect((await submitForm(s.agent, "mock-drift")).status).toBe(303);
    const sid = t.db
      .prepare("SELECT id FROM submissions WHERE user_id = ? AND exercise_id = 'mock-drift'")
      .pluck()
      .get(s.user.id) as number;
    const fields = { opensAt: "", dueAt: inputTime(-30), lateUntil: "", latePolicy: "penalty", penaltyPercent: "25" };
    const preview = await postForm(instructor, "/admin/deadlines/mock-drift", fields, "/admin/deadlines/mock-drift");
    expect(preview.status).toBe(200);
    expect(preview.text).toContain(s.user.name);
    expect(preview.text).toMatch(/17 → 8\.5 <span class="muted">\/ 17<\/span>/);
    expect(preview.text).toContain("was on time when submitted; the new deadline makes it 2 days late");
    // Nothing saved by the preview.
    expect(t.db.prepare("SELECT count(*) FROM exercise_deadlines WHERE exercise_id = 'mock-drift'").pluck().get()).toBe(
      0,
    );

    expect(
      (
        await postForm(
          instructor,
          "/admin/deadlines/mock-drift",
          { ...fields, confirm: "yes" },
          "/admin/deadlines/mock-drift",
        )
      ).status,
    ).toBe(303);
    expect(
      t.db.prepare("SELECT due_at IS NOT NULL FROM exercise_deadlines WHERE exercise_id = 'mock-drift'").pluck().get(),
    ).toBe(1);
    expect(submissionBreakdown(t.db, t.course, sid)).toMatchObject({ latePenalty: 0, final: 17 });
    expect(
      t.db.prepare("SELECT action, before_score, after_score FROM grade_audit WHERE submission_id = ?").all(sid),
    ).toEqual([{ action: "late_penalty_kept", before_score: 17, after_score: 17 }]);

    expect(
      (
        await postForm(
          instructor,
          "/admin/deadlines/mock-drift",
          { ...fields, confirm: "yes", lowerScores: "yes" },
          "/admin/deadlines/mock-drift",
        )
      ).status,
    ).toBe(303);
    expect(submissionBreakdown(t.db, t.course, sid)).toMatchObject({ latePenalty: 8.5, final: 8.5 });
    const last = t.db
      .prepare(
        "SELECT action, before_score, after_score, reason FROM grade_audit WHERE submission_id = ? ORDER BY id DESC LIMIT 1",
      )
      .get(sid);
    expect(last).toEqual({
      action: "late_penalty_changed",
      before_score: 17,
      after_score: 8.5,
      reason: "The instructor opted in to lowering scores on the preview.",
    });
    // Staff read it in the submission's audit log.
    expect((await instructor.get(`/staff/submissions/${sid}`)).text).toContain(
      "Late penalty changed by a deadline change",
    );
  });

  it("shows the deadline on the course home", async () => {
    await setDeadline("rollout-plan", { dueAt: inputTime(30), latePolicy: "penalty", penaltyPercent: "5" });
    const { agent } = await agentFor(t, "student");
    const home = await agent.get("/");
    expect(home.text).toMatch(/Due \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect((await agent.get("/exercises")).text).toMatch(/deadline-open">Due \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    // What the student can do now: not open yet, or late with the penalty and the last day.
    await setDeadline("rollout-plan", {
      opensAt: inputTime(5),
      dueAt: inputTime(30),
      latePolicy: "penalty",
      penaltyPercent: "5",
    });
    expect((await agent.get("/")).text).toMatch(/deadline-not-open">Opens \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await setDeadline("rollout-plan", {
      dueAt: inputTime(-5),
      lateUntil: inputTime(20),
      latePolicy: "penalty",
      penaltyPercent: "5",
    });
    expect((await agent.get("/")).text).toMatch(
      /deadline-late">Late \(penalty applies\) · was due [^<]+ · until \d{4}/,
    );
  });
});

describe("the deadline form", () => {
  it("re-renders bad input with the values kept and messages at the fields", async () => {
    const res = await postForm(
      instructor,
      "/admin/deadlines/rollout-plan",
      { opensAt: "", dueAt: inputTime(5), lateUntil: "tomorrow", latePolicy: "penalty", penaltyPercent: "150" },
      "/admin/deadlines/rollout-plan",
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="late-until-error"');
    expect(res.text).toContain('value="tomorrow"');
    expect(res.text).toContain("must be at most 100");
    const order = await postForm(
      instructor,
      "/admin/deadlines/rollout-plan",
      { opensAt: inputTime(10), dueAt: inputTime(5), lateUntil: "", latePolicy: "penalty", penaltyPercent: "10" },
      "/admin/deadlines/rollout-plan",
    );
    expect(order.status).toBe(400);
    expect(order.text).toContain('id="opens-at-error"');
    expect(order.text).toContain("must be before the due date");
    // Dates that do not exist are refused, not rolled over (February 30 is not March 2).
    for (const dueAt of ["2027-02-30T10:00", "2027-04-31T23:59", "2027-13-01T10:00", "2027-01-01T24:30"]) {
      const impossible = await postForm(
        instructor,
        "/admin/deadlines/rollout-plan",
        { opensAt: "", dueAt, lateUntil: "", latePolicy: "penalty", penaltyPercent: "10" },
        "/admin/deadlines/rollout-plan",
      );
      expect(impossible.status, dueAt).toBe(400);
      expect(impossible.text).toContain('id="due-at-error"');
    }
    // A penalty per day needs its percentage; a blank box is not 0%.
    const blank = await postForm(
      instructor,
      "/admin/deadlines/rollout-plan",
      { opensAt: "", dueAt: inputTime(5), lateUntil: "", latePolicy: "penalty", penaltyPercent: " " },
      "/admin/deadlines/rollout-plan",
    );
    expect(blank.status).toBe(400);
    expect(blank.text).toContain("is required for a penalty per day");
    const noCredit = await postForm(
      instructor,
      "/admin/deadlines/rollout-plan",
      { opensAt: "", dueAt: inputTime(5), lateUntil: "", latePolicy: "no-credit", penaltyPercent: "" },
      "/admin/deadlines/rollout-plan",
    );
    expect(noCredit.status).toBe(303);
  });

  it("refuses an extension for someone who is not a student", async () => {
    const res = await postForm(
      instructor,
      "/admin/deadlines/rollout-plan/extensions",
      { email: "nobody@example.edu", dueAt: inputTime(50), lateUntil: "" },
      "/admin/deadlines/rollout-plan",
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain("is not a student on the roster");
    // An "extension" that ends before the class due date is a slip, not more time.
    await setDeadline("rollout-plan", { dueAt: inputTime(30), latePolicy: "penalty", penaltyPercent: "5" });
    const { user } = await agentFor(t, "student");
    const earlier = await postForm(
      instructor,
      "/admin/deadlines/rollout-plan/extensions",
      { email: user.email, dueAt: inputTime(10), lateUntil: "" },
      "/admin/deadlines/rollout-plan",
    );
    expect(earlier.status).toBe(400);
    expect(earlier.text).toContain("must be after the class due date");
  });
});
