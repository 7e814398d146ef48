/**
 * Staff see students' interactive ramp days through the real app and SQLite: the list (everyone's or
 * one student's) with each day's scenario, and one day replayed read-only with the evidence each
 * decision cited, exactly as the student saw it. Students cannot open either page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type request from "supertest";
import { scenarioForSeed } from "../../../../grader/rollout-sim/interactive";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../../helpers/app";

const ID = "rollout-simulator";
const PAGE = `/exercises/${ID}/simulator`;
const LIST = `/staff/exercises/${ID}/ramp-days`;
let t: TestApp;
let ta: ReturnType<typeof request.agent>;
let instructor: ReturnType<typeof request.agent>;

/** A seed whose day is this scenario (the scenario follows from the seed alone). */
function seedPlaying(id: string): number {
  for (let seed = 1; seed < 1000; seed++) if (scenarioForSeed(seed).id === id) return seed;
  throw new Error(`no seed plays ${id}`);
}

async function person(role: "student" | "ta" | "instructor" = "student") {
  const { user, password } = await makeUser(t.db, role);
  return { user, agent: await signIn(t.app, user.email, password) };
}

/** Starts a day on `seed` as the student and takes the decisions; returns the run's id. */
async function playDay(
  agent: ReturnType<typeof request.agent>,
  seed: number,
  decisions: { action: string; metric: string; group: string; note?: string }[],
): Promise<number> {
  await agent
    .post(`${PAGE}/runs`)
    .type("form")
    .send({ _csrf: await tokenFor(agent, PAGE), seed: String(seed) });
  const runId = /name="runId" value="(\d+)"/.exec((await agent.get(PAGE)).text)?.[1];
  for (const d of decisions) {
    const res = await agent
      .post(`${PAGE}/decisions`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, PAGE), runId, ...d });
    expect(res.status).toBe(303);
  }
  return Number(runId);
}

beforeAll(async () => {
  t = await makeTestApp();
  ta = (await person("ta")).agent;
  instructor = (await person("instructor")).agent;
});
afterAll(() => t.close());

describe("staff pages of students' ramp days", () => {
  it("list every student's days with the scenario, filter by student, and replay one read-only", async () => {
    const ada = await person();
    const bo = await person();
    const cohortSeed = seedPlaying("cohort-regression");
    const noiseSeed = seedPlaying("noise");
    const over = await playDay(ada.agent, cohortSeed, [
      { action: "advance", metric: "errorRate", group: "all", note: "flat at 1%" },
      { action: "rollback", metric: "errorRate", group: "city:harbor", note: "Harbor <b>doubles</b>" },
    ]);
    const running = await playDay(ada.agent, noiseSeed, [{ action: "hold", metric: "latencyP99", group: "all" }]);
    await playDay(bo.agent, noiseSeed, []);

    const all = await ta.get(LIST);
    expect(all.status).toBe(200);
    expect(all.text).toContain(ada.user.name);
    expect(all.text).toContain(bo.user.name);
    expect(all.text).toContain(`<td>${cohortSeed}</td>`);
    expect(all.text).toContain(`<td>${scenarioForSeed(cohortSeed).title}</td>`);
    expect(all.text).toContain("rolled back at 5% (minute 20)");
    expect(all.text).toContain("in progress, minute 20");

    const adaOnly = await instructor.get(`${LIST}?student=${ada.user.id}`);
    expect(adaOnly.status).toBe(200);
    expect(adaOnly.text).toContain(`Interactive ramp days of ${ada.user.name}`);
    expect(adaOnly.text).toContain(`href="/staff/ramp-days/${over}"`);
    expect(adaOnly.text).toContain(`href="/staff/ramp-days/${running}"`);
    expect(adaOnly.text).not.toContain(bo.user.name);
    // A student filter that is not an id lists everyone, as the queue's filters do.
    expect((await ta.get(`${LIST}?student=abc`)).text).toContain(bo.user.name);

    const replay = await ta.get(`/staff/ramp-days/${over}?group=city:harbor`);
    expect(replay.status).toBe(200);
    expect(replay.text).toContain(`Scenario: <strong>${scenarioForSeed(cohortSeed).title}</strong>`);
    expect(replay.text).toContain(`Seed <span class="seed">${cohortSeed}</span>`);
    expect(replay.text).toContain("Over: rolled back at 5% (minute 20)");
    expect(replay.text).toContain("Error rate, city: harbor");
    expect(replay.text.match(/<svg class="chart line-chart"[^>]*role="img"/g)).toHaveLength(6);
    // The log, with the evidence each decision cited and the note escaped.
    expect(replay.text).toMatch(
      /<td>Roll back<\/td><td>Error rate, City: harbor<\/td><td>Harbor &lt;b&gt;doubles&lt;\/b&gt;<\/td>/,
    );
    expect(replay.text).toContain("<td>Advance</td><td>Error rate, Whole service</td><td>flat at 1%</td>");
    expect(replay.text).toMatch(/Score: <span class="score">\d+ \/ 6<\/span>/);
    // Read-only: no form in the page (the layout's sign-out aside) that could decide or start anything.
    expect(replay.text.slice(replay.text.indexOf("<main"))).not.toContain('method="post"');
    expect(replay.text).not.toContain('name="runId"');

    // The student's own page shows the same minutes the replay does.
    const studentView = await ada.agent.get(PAGE);
    const minuteOf = (html: string) => /Minute (\d+)/.exec(html)?.[1];
    const inProgress = await ta.get(`/staff/ramp-days/${running}`);
    expect(inProgress.text).toContain("In progress");
    expect(minuteOf(inProgress.text.slice(inProgress.text.indexOf('class="facts"')))).toBe(
      minuteOf(studentView.text.slice(studentView.text.indexOf('class="facts"'))),
    );
    // Staff see the scenario of a day still running; the student does not.
    expect(inProgress.text).toContain(scenarioForSeed(noiseSeed).title);
    expect(studentView.text).not.toContain(scenarioForSeed(noiseSeed).title);
  });

  it("are staff's only, and answer unknown days and other exercises with 404", async () => {
    const { agent } = await person();
    const run = await playDay(agent, 7, []);
    const list = await agent.get(LIST);
    expect(list.status).toBe(403);
    expect((await agent.get(`/staff/ramp-days/${run}`)).status).toBe(403);
    expect((await ta.get("/staff/ramp-days/999999")).status).toBe(404);
    expect((await ta.get("/staff/ramp-days/abc")).status).toBe(404);
    expect((await ta.get("/staff/exercises/purchase-dependencies/ramp-days")).status).toBe(404);
  });

  it("are linked from the review queue and from a student's submission of the exercise", async () => {
    const { user, agent } = await person();
    const submitted = await agent
      .post(`/exercises/${ID}/submissions`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, `/exercises/${ID}`), code: "steps: [100]\nbakeMinutes: []\nmetrics: []\n" });
    expect(submitted.status).toBe(303);
    const submissionId = submitted.headers.location!.split("/").pop();
    expect((await ta.get(`/staff/exercises/${ID}`)).text).toContain(`href="${LIST}"`);
    expect((await ta.get(`/staff/submissions/${submissionId}`)).text).toContain(`href="${LIST}?student=${user.id}"`);
  });
});
