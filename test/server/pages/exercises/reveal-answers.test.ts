/**
 * When a failing rule's right answer (`reveal`) reaches a student, through the JSON API and the
 * submission page: hidden while attempts remain and the deadline is open, shown once either ends or
 * when the exercise says `revealAnswers: always`; staff always see it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../../helpers/app";
import { saveDeadline } from "../../../../server/deadlines/deadlines";
import type { Exercise } from "../../../../grader/exercises";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t?.close());

const WRONG = {
  scenarios: {
    passMismatch: "compatible",
    failMismatch: "incompatible",
    failMatch: "own-code",
    newFieldRead: "missing-coverage",
    newFieldForwarded: "pass-through",
    allMatch: "nothing",
  },
  worstCase: "pass-through",
  detectDrift: "run-unmocked",
  flakyCause: "cosmic",
};
type Test = { id: string; status: string; reveal?: string; message: string };

async function studentWithOneAttempt() {
  const { user, password } = await makeUser(t.db);
  const agent = await signIn(t.app, user.email, password);
  const csrf = await tokenFor(agent);
  const posted = await agent
    .post("/api/exercises/mock-drift/submissions")
    .set("X-CSRF-Token", csrf)
    .send({ answer: WRONG });
  expect(posted.status).toBe(201);
  return {
    user,
    agent,
    id: posted.body.id as number,
    flaky: (body: { result: { tests: Test[] } }) => body.result.tests.find((x) => x.id === "flaky-partial-ramp"),
  };
}

function mockDrift(): Exercise {
  const entry = t.course.exerciseById("mock-drift");
  if (!entry) throw new Error("mock-drift is not loaded");
  return entry.exercise;
}

describe("revealing right answers", () => {
  it("hides the answer from the student's API result while attempts remain, but keeps the feedback", async () => {
    const { agent, id, flaky } = await studentWithOneAttempt();
    const res = await agent.get(`/api/submissions/${id}`);
    const test = flaky(res.body);
    expect(test?.status).toBe("fail");
    expect(test?.reveal).toBeUndefined();
    expect(test?.message).toContain("Your answer:");
    expect(test?.message).not.toContain("partially ramped");
    const page = await agent.get(`/submissions/${id}`);
    expect(page.text).not.toContain("The answer:");
  });

  it("shows it to staff at once", async () => {
    const { id } = await studentWithOneAttempt();
    const { user, password } = await makeUser(t.db, "ta");
    const ta = await signIn(t.app, user.email, password);
    const res = await ta.get(`/api/submissions/${id}`);
    expect(res.body.result.tests.find((x: Test) => x.id === "flaky-partial-ramp")?.reveal).toMatch(/partially ramped/);
    const page = await ta.get(`/staff/submissions/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("The answer:");
  });

  it("shows it once the deadline has passed and late submissions are closed", async () => {
    const { agent, id, flaky } = await studentWithOneAttempt();
    const { user: instructor } = await makeUser(t.db, "instructor");
    saveDeadline(
      t.db,
      {
        exerciseId: "mock-drift",
        opensAt: null,
        dueAt: "2020-01-01T00:00:00.000Z",
        lateUntil: null,
        latePolicy: "no-credit",
        penaltyPercent: 0,
      },
      instructor.id,
    );
    try {
      const res = await agent.get(`/api/submissions/${id}`);
      expect(flaky(res.body)?.reveal).toMatch(/partially ramped/);
      expect((await agent.get(`/submissions/${id}`)).text).toContain("The answer:");
    } finally {
      t.db.prepare("DELETE FROM exercise_deadlines WHERE exercise_id = 'mock-drift'").run();
    }
  });

  it("shows it from the first attempt when the exercise says revealAnswers: always", async () => {
    const { agent, id, flaky } = await studentWithOneAttempt();
    const exercise = mockDrift();
    exercise.revealAnswers = "always";
    try {
      const res = await agent.get(`/api/submissions/${id}`);
      expect(flaky(res.body)?.reveal).toMatch(/partially ramped/);
    } finally {
      exercise.revealAnswers = "after-final-attempt";
    }
  });
});
