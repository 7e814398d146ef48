import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, tokenFor, type TestApp } from "../../../helpers/app";
import { agentFor, inputTime } from "../instructor/instructor-helpers";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const pages = [
  "/admin",
  "/admin/users",
  "/admin/deadlines",
  "/admin/deadlines/rollout-plan",
  "/admin/authoring",
  "/admin/authoring/rollout-plan",
  "/admin/authoring/rollout-plan/preview",
  "/admin/export",
  "/admin/export/grades.csv",
  "/admin/export/rules.csv",
  "/admin/analytics",
  "/admin/analytics/rollout-plan",
];

const posts: Array<[string, Record<string, string>]> = [
  ["/admin/deadlines/rollout-plan", { dueAt: inputTime(1), latePolicy: "no-credit", penaltyPercent: "0" }],
  ["/admin/deadlines/rollout-plan/extensions", { email: "x@example.edu", dueAt: inputTime(2) }],
  ["/admin/users/import", { csv: "email,name,role\nsneaky@example.edu,Sneaky,instructor\n" }],
  ["/admin/authoring/reload", {}],
  ["/admin/authoring/rollout-plan/try", { answerText: "{}" }],
  ["/admin/authoring/rollout-plan/rerun-grading", {}],
];

describe("instructor pages", () => {
  it("answer 403 to a TA for every page and every action, and change nothing", async () => {
    const { agent } = await agentFor(t, "ta");
    for (const path of pages) expect([path, (await agent.get(path)).status]).toEqual([path, 403]);
    const csrf = await tokenFor(agent, "/");
    for (const [path, fields] of posts) {
      const res = await agent
        .post(path)
        .type("form")
        .send({ _csrf: csrf, ...fields });
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect(t.db.prepare("SELECT count(*) FROM exercise_deadlines").pluck().get()).toBe(0);
    expect(t.db.prepare("SELECT count(*) FROM users WHERE email = 'sneaky@example.edu'").pluck().get()).toBe(0);
  });

  it("answer 403 to a student too, and the nav shows the Instructor link only to instructors", async () => {
    const student = await agentFor(t, "student");
    for (const path of pages) expect([path, (await student.agent.get(path)).status]).toEqual([path, 403]);
    expect((await student.agent.get("/")).text).not.toContain('href="/admin"');
    const instructor = await agentFor(t, "instructor");
    const home = await instructor.agent.get("/");
    expect(home.text).toContain('<a href="/admin" >Instructor</a>');
    for (const path of pages) expect([path, (await instructor.agent.get(path)).status]).toEqual([path, 200]);
  });
});
