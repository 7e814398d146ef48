import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDataFile } from "../../../../grader/exercises";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../../helpers/app";
import { encodeForm, toFormFields } from "../../../helpers/forms";

const id = "metrics-priority-rides";
let t: TestApp;
let reference: unknown;

beforeAll(async () => {
  t = await makeTestApp();
  const read = await readDataFile(`exercises/${id}/reference.yaml`);
  if (!read.ok) throw new Error(read.issue.message);
  reference = read.data;
});
afterAll(() => t.close());

async function student() {
  const { user, password } = await makeUser(t.db);
  return { user, agent: await signIn(t.app, user.email, password) };
}

describe("the exercise page", () => {
  it("lists exercises with their module and shows the form rendered from the answer shape", async () => {
    const { agent } = await student();
    const list = await agent.get("/exercises");
    expect(list.status).toBe(200);
    expect(list.text).toContain(`href="/exercises/${id}"`);
    const page = await agent.get(`/exercises/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="answer[metrics][0][name]"');
    expect(page.text).toContain('name="answer[metrics][0][purpose]"');
    expect(page.text).toContain('value="add:metrics"');
    expect(page.text).toContain("0 of 5 attempts used");
  });

  it("grades the reference answer posted as a form with full marks and per-rule feedback", async () => {
    const { agent } = await student();
    const res = await agent
      .post(`/exercises/${id}/submissions`)
      .type("form")
      .send(encodeForm({ _csrf: await tokenFor(agent, `/exercises/${id}`), ...toFormFields(reference) }));
    expect(res.status).toBe(303);
    const result = await agent.get(res.headers.location!);
    expect(result.text).toMatch(/Submission 1: <span class="score-final">(\d+(\.\d+)?) \/ \1<\/span>/);
    expect(result.text).toContain("Read the lecture section on this");
    const page = await agent.get(`/exercises/${id}`);
    expect(page.text).toContain("1 of 5 attempts used");
  });

  it("shows what was missed, with the hint and the lecture link, for a weak answer", async () => {
    const { agent } = await student();
    const weak = { metrics: [{ name: "Rides", purpose: "success", numerator: "served", denominator: "none" }] };
    const res = await agent
      .post(`/exercises/${id}/submissions`)
      .type("form")
      .send(encodeForm({ _csrf: await tokenFor(agent, `/exercises/${id}`), ...toFormFields(weak) }));
    const result = await agent.get(res.headers.location!);
    expect(result.text).toContain("test test-fail");
    expect(result.text).toContain("Hint:");
    expect(result.text).toContain('href="/modules/observing-rollouts#');
  });

  it("re-renders bad input with the student's text kept and a message at the field", async () => {
    const { user, agent } = await student();
    const bad = { metrics: [{ name: "My metric name", purpose: "bogus" }] };
    const res = await agent
      .post(`/exercises/${id}/submissions`)
      .type("form")
      .send(encodeForm({ _csrf: await tokenFor(agent, `/exercises/${id}`), ...toFormFields(bad) }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('value="My metric name"');
    expect(res.text).toContain("Nothing you typed was lost");
    expect(res.text).toMatch(/id="f-metrics-0-purpose-error"/);
    expect(res.text).toMatch(/id="f-metrics-0-numerator-error"/);
    // The summary names fields as the form shows them, linked to the field, not by internal path.
    expect(res.text).toContain('<a href="#f-metrics-0-purpose">Metric 1 › What the metric watches</a>');
    expect(res.text).not.toContain("<code>metrics[0].purpose</code>");
    expect(t.db.prepare("SELECT count(*) FROM submissions WHERE user_id = ?").pluck().get(user.id)).toBe(0);
    // The draft keeps it too, for the next visit.
    expect((await agent.get(`/exercises/${id}`)).text).toContain('value="My metric name"');
  });

  it("adds, moves and removes rows without JavaScript, keeping the draft", async () => {
    const { agent } = await student();
    const post = async (action: string, answer: unknown) =>
      agent
        .post(`/exercises/${id}/form`)
        .type("form")
        .send(
          encodeForm({ _csrf: await tokenFor(agent, `/exercises/${id}`), _action: action, ...toFormFields(answer) }),
        );
    const added = await post("add:metrics", { metrics: [{ name: "First" }] });
    expect(added.status).toBe(302);
    let page = await agent.get(`/exercises/${id}`);
    expect(page.text).toContain('name="answer[metrics][1][name]"');
    await post("down:metrics:0", { metrics: [{ name: "First" }, { name: "Second" }] });
    page = await agent.get(`/exercises/${id}`);
    expect(page.text.indexOf('value="Second"')).toBeLessThan(page.text.indexOf('value="First"'));
    await post("remove:metrics:0", { metrics: [{ name: "Second" }, { name: "First" }] });
    page = await agent.get(`/exercises/${id}`);
    expect(page.text).not.toContain('value="Second"');
    expect(page.text).toContain('value="First"');
  });

  it("refuses attempts beyond the maximum with a message", async () => {
    const { agent } = await student();
    const csrf = await tokenFor(agent, `/exercises/${id}`);
    for (let i = 0; i < 5; i++) {
      const ok = await agent
        .post(`/exercises/${id}/submissions`)
        .type("form")
        .send(encodeForm({ _csrf: csrf, ...toFormFields(reference) }));
      expect(ok.status).toBe(303);
    }
    const refused = await agent
      .post(`/exercises/${id}/submissions`)
      .type("form")
      .send(encodeForm({ _csrf: csrf, ...toFormFields(reference) }));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("You have used all 5 attempts");
  });

  it("shows the exercise's status on the course home and its module page", async () => {
    const { agent } = await student();
    await agent
      .post(`/exercises/${id}/submissions`)
      .type("form")
      .send(encodeForm({ _csrf: await tokenFor(agent, `/exercises/${id}`), ...toFormFields(reference) }));
    const home = await agent.get("/");
    // The badge sits beside the exercise's link and says what its number is.
    // The exercise's name is the link; its badge says "Score" and the one score view's final.
    expect(home.text).toMatch(
      /href="\/exercises\/metrics-priority-rides">[^<]+<\/a> <span class="badge badge-done">Score <span class="score-view score-view-compact" data-final="\d+"><span class="score-final">\d+ \/ \d+<\/span>/,
    );
    const module = await agent.get("/modules/observing-rollouts");
    expect(module.text).toContain("Your exercises for this module");
  });
});

describe("the JSON API", () => {
  async function apiClient() {
    const { user, agent } = await student();
    const session = await agent.get("/api/session");
    return { user, agent, csrf: session.body.csrfToken as string };
  }

  it("grades a JSON submission and returns it by id", async () => {
    const { agent, csrf } = await apiClient();
    const res = await agent
      .post(`/api/exercises/${id}/submissions`)
      .set("X-CSRF-Token", csrf)
      .send({ answer: reference });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("graded");
    expect(res.body.result.score).toBe(res.body.result.maxScore);
    const again = await agent.get(`/api/submissions/${res.body.id}`);
    expect(again.body.result.tests.length).toBeGreaterThan(0);
  });

  it("answers 400 with field paths on a malformed answer", async () => {
    const { agent, csrf } = await apiClient();
    const res = await agent
      .post(`/api/exercises/${id}/submissions`)
      .set("X-CSRF-Token", csrf)
      .send({ answer: { metrics: [{ purpose: 7 }] } });
    expect(res.status).toBe(400);
    const paths = res.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toContain("answer.metrics[0].purpose");
    expect(paths).toContain("answer.metrics[0].name");
    const missing = await agent.post(`/api/exercises/${id}/submissions`).set("X-CSRF-Token", csrf).send({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues[0].path).toBe("answer");
  });

  it("answers 413 to an oversized body and 404 to an unknown exercise", async () => {
    const { agent, csrf } = await apiClient();
    const huge = await agent
      .post(`/api/exercises/${id}/submissions`)
      .set("X-CSRF-Token", csrf)
      .send({ answer: { metrics: [{ rationale: "x".repeat(t.config.BODY_LIMIT_BYTES) }] } });
    expect(huge.status).toBe(413);
    const unknown = await agent.post(`/api/exercises/nope/submissions`).set("X-CSRF-Token", csrf).send({ answer: {} });
    expect(unknown.status).toBe(404);
  });

  it("answers 415 to a submission body that is not JSON", async () => {
    const { agent, csrf } = await apiClient();
    const text = await agent
      .post(`/api/exercises/${id}/submissions`)
      .set("X-CSRF-Token", csrf)
      .set("Content-Type", "text/plain")
      .send(JSON.stringify({ answer: reference }));
    expect(text.status).toBe(415);
    expect(text.body.error.message).toContain("Content-Type: application/json");
  });

  it("tells an API client without a session to sign in, before asking for a CSRF token", async () => {
    const anonymous = await request(t.app)
      .post(`/api/exercises/${id}/submissions`)
      .set("Accept", "application/json")
      .send({ answer: reference });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toMatchObject({ code: "unauthenticated", message: "Sign in first." });
  });

  it("gives another student 404 on someone else's submission, page and API, as for one that does not exist", async () => {
    const owner = await apiClient();
    const res = await owner.agent
      .post(`/api/exercises/${id}/submissions`)
      .set("X-CSRF-Token", owner.csrf)
      .send({ answer: reference });
    const other = await student();
    const api = await other.agent.get(`/api/submissions/${res.body.id}`);
    const missingApi = await other.agent.get(`/api/submissions/${res.body.id + 1000}`);
    expect(api.status).toBe(404);
    expect(api.body).toEqual(missingApi.body);
    const page = await other.agent.get(`/submissions/${res.body.id}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain("That submission does not exist.");
    expect((await other.agent.get(`/submissions/${res.body.id + 1000}`)).status).toBe(404);
    const ta = await makeUser(t.db, "ta");
    const taAgent = await signIn(t.app, ta.user.email, ta.password);
    expect((await taAgent.get(`/submissions/${res.body.id}`)).status).toBe(200);
  });

  it("requires the CSRF header", async () => {
    const { agent } = await apiClient();
    const res = await agent.post(`/api/exercises/${id}/submissions`).send({ answer: reference });
    expect(res.status).toBe(403);
  });
});
