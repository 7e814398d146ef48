/**
 * The rollout simulator through the real app and SQLite: policy mode as a form post graded by the
 * queue, and the interactive page (start on a seed, decide with cited evidence, see the grade), with
 * bad input answered at the field and a seed that replays a day for someone else.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenarioForSeed } from "../../../../grader/rollout-sim/interactive";
import { MAX_RUNS } from "../../../../server/pages/simulator/simulator";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../../helpers/app";

const ID = "rollout-simulator";
const PAGE = `/exercises/${ID}/simulator`;
let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp({ GRADER_WORKERS: "1" });
});
afterAll(() => t.close());

async function student() {
  const { user, password } = await makeUser(t.db);
  return { user, agent: await signIn(t.app, user.email, password) };
}

/** A seed whose day is this scenario (the scenario follows from the seed alone). */
function seedPlaying(id: string): number {
  for (let seed = 1; seed < 1000; seed++) if (scenarioForSeed(seed).id === id) return seed;
  throw new Error(`no seed plays ${id}`);
}

describe("policy mode through the app", () => {
  it("grades the reference policy posted as the exercise form, in the queue, with full marks", async () => {
    const { agent } = await student();
    const page = await agent.get(`/exercises/${ID}`);
    expect(page.text).toContain("Your policy (YAML)");
    expect(page.text).toContain(`href="${PAGE}"`);
    const code = readFileSync(`exercises/${ID}/reference.yaml`, "utf8");
    const res = await agent
      .post(`/exercises/${ID}/submissions`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, `/exercises/${ID}`), code });
    expect(res.status).toBe(303);
    const id = res.headers.location!.split("/").pop();
    await t.queue.start();
    let body: { status: string; result?: { score: number } } = { status: "queued" };
    // Generous: one grading runs 24 simulated days, and the machine may be busy.
    for (
      let i = 0;
      i < 1800 && !["graded", "error", "compile_error", "infrastructure_error"].includes(body.status);
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      body = (await agent.get(`/api/submissions/${id}`)).body;
    }
    expect(body.status).toBe("graded");
    expect(body.result?.score).toBe(15);
  });
});

describe("the interactive simulator page", () => {
  it("starts a day on the student's own seed, shows both arms per metric with data tables, and grades the day when it ends", async () => {
    const { agent } = await student();
    const empty = await agent.get(PAGE);
    expect(empty.status).toBe(200);
    expect(empty.text).toContain("No ramp day yet.");

    const started = await agent
      .post(`${PAGE}/runs`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, PAGE), seed: "" });
    expect(started.status).toBe(303);
    const page = await agent.get(PAGE);
    const seed = Number(/Ramp day on seed <span class="seed">(\d+)<\/span>/.exec(page.text)?.[1]);
    expect(Number.isInteger(seed)).toBe(true);
    expect(page.text.match(/<svg class="chart line-chart"[^>]*role="img"/g)).toHaveLength(6);
    expect(page.text).toContain("Data for: Error rate, whole service");
    expect(page.text).toContain("Minute 10");
    const runId = /name="runId" value="(\d+)"/.exec(page.text)?.[1];

    // A decision must cite a metric: answered at the field, nothing recorded.
    const missing = await agent
      .post(`${PAGE}/decisions`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, PAGE), runId, action: "hold", metric: "", group: "all" });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("Metric: choose the metric your decision rests on");
    expect(missing.text).toContain("Minute 10");

    const cohortView = await agent.get(`${PAGE}?group=city:harbor`);
    expect(cohortView.text).toContain("Error rate, city: harbor");

    const decide = async (action: string, metric = "errorRate", group = "all") =>
      agent
        .post(`${PAGE}/decisions`)
        .type("form")
        .send({ _csrf: await tokenFor(agent, PAGE), runId, action, metric, group, note: "looked flat" });
    expect((await decide("hold")).status).toBe(303);
    const rolled = await decide("rollback", "errorRate", "city:harbor");
    expect(rolled.status).toBe(303);
    const over = await agent.get(PAGE);
    expect(over.text).toMatch(/<h2 id="result-heading">Score: <span class="score">\d+ \/ 6<\/span><\/h2>/);
    expect(over.text).toContain("looked flat");
    expect(over.text).toContain(scenarioForSeed(seed).title);
    // The day is over: a further decision changes nothing.
    await decide("advance");
    const row = t.db.prepare("SELECT decisions, score FROM rollout_runs WHERE seed = ?").get(seed) as {
      decisions: string;
      score: number;
    };
    expect(JSON.parse(row.decisions)).toHaveLength(2);
    expect(row.score).not.toBeNull();
  });

  it("replays a day exactly for anyone who types its seed and takes the same decisions", async () => {
    const seed = seedPlaying("cohort-regression");
    const results: string[] = [];
    for (const who of [await student(), await student()]) {
      await who.agent
        .post(`${PAGE}/runs`)
        .type("form")
        .send({ _csrf: await tokenFor(who.agent, PAGE), seed: String(seed) });
      const runId = /name="runId" value="(\d+)"/.exec((await who.agent.get(PAGE)).text)?.[1];
      for (const action of ["advance", "rollback"]) {
        await who.agent
          .post(`${PAGE}/decisions`)
          .type("form")
          .send({ _csrf: await tokenFor(who.agent, PAGE), runId, action, metric: "errorRate", group: "city:harbor" });
      }
      const page = (await who.agent.get(PAGE)).text;
      results.push(page.slice(page.indexOf('<section class="result"'), page.indexOf("Decision log")));
    }
    expect(results[0]).toContain("6 / 6");
    expect(results[1]).toBe(results[0]);
  });

  it("shows a note with markup escaped, in the log and in the grade", async () => {
    const { agent } = await student();
    await agent
      .post(`${PAGE}/runs`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, PAGE), seed: String(seedPlaying("error-regression")) });
    const runId = /name="runId" value="(\d+)"/.exec((await agent.get(PAGE)).text)?.[1];
    const note = `<script>alert('xss-note')</script><img src=x onerror=alert(1)>`;
    await agent
      .post(`${PAGE}/decisions`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, PAGE), runId, action: "rollback", metric: "errorRate", group: "all", note });
    const page = (await agent.get(PAGE)).text;
    expect(page).not.toContain("<script>alert('xss-note')");
    expect(page).not.toContain("<img src=x onerror");
    expect(page.match(/&lt;script&gt;alert\(&#39;xss-note&#39;\)/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it("answers a bad seed at the field, and is not found for exercises of other kinds", async () => {
    const { agent } = await student();
    const bad = await agent
      .post(`${PAGE}/runs`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, PAGE), seed: "twelve" });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/Seed: /);
    expect(bad.text).toContain('value="twelve"');
    expect((await agent.get("/exercises/purchase-dependencies/simulator")).status).toBe(404);
    const noToken = await agent.post(`${PAGE}/runs`).type("form").send({ seed: "" });
    expect(noToken.status).toBe(403);
  });

  it("stops one person starting more ramp days than the limit", async () => {
    const { user, agent } = await student();
    const insert = t.db.prepare("INSERT INTO rollout_runs (user_id, exercise_id, seed) VALUES (?, ?, ?)");
    for (let i = 0; i < MAX_RUNS; i++) insert.run(user.id, ID, i);
    const refused = await agent
      .post(`${PAGE}/runs`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, PAGE), seed: "" });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`Seed: you have started ${MAX_RUNS} ramp days of this exercise`);
  });
});
