import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDataFile } from "../../../../grader/exercises";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../../helpers/app";
import { encodeForm, toFormFields } from "../../../helpers/forms";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe("every structured exercise in the browser's form encoding", () => {
  it("loads all five with no problems", () => {
    const structured = t.course.exercises.filter((e) => e.exercise.answerShape).map((e) => e.exercise.id);
    expect(structured).toEqual(
      expect.arrayContaining([
        "metrics-priority-rides",
        "purchase-dependencies",
        "rollout-plan",
        "compatible-changes",
        "mock-drift",
      ]),
    );
    expect(t.course.problems).toEqual([]);
  });

  it("renders each form and gives its reference answer, posted as a form, full marks", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    for (const { exercise } of t.course.exercises.filter((e) => e.exercise.answerShape)) {
      const page = await agent.get(`/exercises/${exercise.id}`);
      expect(page.status, exercise.id).toBe(200);
      const reference = await readDataFile(`exercises/${exercise.id}/reference.yaml`);
      if (!reference.ok) throw new Error(reference.issue.message);
      const res = await agent
        .post(`/exercises/${exercise.id}/submissions`)
        .type("form")
        .send(
          encodeForm({ _csrf: await tokenFor(agent, `/exercises/${exercise.id}`), ...toFormFields(reference.data) }),
        );
      expect(res.status, `${exercise.id}: ${res.text.slice(0, 300)}`).toBe(303);
      const result = await agent.get(`/api/submissions/${res.headers.location!.split("/").pop()}`);
      expect(result.body.result.score, exercise.id).toBe(exercise.points);
    }
  });
});
