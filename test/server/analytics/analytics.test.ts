import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, tokenFor, type TestApp } from "../../helpers/app";
import { encodeForm, toFormFields } from "../../helpers/forms";
import { exerciseStats, histogram } from "../../../server/analytics/exercise-stats";
import { agentFor, referenceAnswer, type Agent } from "../pages/instructor/instructor-helpers";

const id = "metrics-priority-rides";
let t: TestApp;
let instructor: Agent;

async function submit(agent: Agent, answer: unknown) {
  const res = await agent
    .post(`/exercises/${id}/submissions`)
    .type("form")
    .send(encodeForm({ _csrf: await tokenFor(agent, `/exercises/${id}`), ...toFormFields(answer) }));
  expect(res.status).toBe(303);
}

// Every weak answer tracks the rollout and nothing else: the success metric is missed by all of them.
const weak = { metrics: [{ name: "Reach", purpose: "rollout", numerator: "shown", denominator: "eligible" }] };

beforeAll(async () => {
  t = await makeTestApp();
  instructor = (await agentFor(t, "instructor")).agent;
  for (let i = 0; i < 3; i++) await submit((await agentFor(t, "student")).agent, weak);
  const strong = (await agentFor(t, "student")).agent;
  await submit(strong, weak);
  await submit(strong, await referenceAnswer(id));
});
afterAll(() => t.close());

describe("analytics", () => {
  it("bins scores in whole points, the last bin ending at the maximum", () => {
    expect(histogram([0, 3, 3.5, 4, 17, 16], 17).map((b) => `${b.label}:${b.count}`)).toEqual([
      "0–3:3",
      "4–7:1",
      "8–11:0",
      "12–15:0",
      "16–17:2",
    ]);
    expect(histogram([2, 5], 5).map((b) => b.label)).toEqual(["0–1", "2–3", "4–5"]);
    expect(histogram([1], 3).map((b) => `${b.label}:${b.count}`)).toEqual(["0:0", "1:1", "2:0", "3:0"]);
  });

  it("computes the score distribution, attempts per student and the share missing each rule", () => {
    const stats = exerciseStats(t.db, t.course, id);
    expect(stats.students).toBe(4);
    expect(stats.submissions).toBe(5);
    expect(stats.attempts).toEqual([
      { label: "1 attempt", count: 3 },
      { label: "2 attempts", count: 1 },
    ]);
    expect(stats.scoreHistogram.reduce((n, b) => n + b.count, 0)).toBe(4);
    expect(stats.scoreHistogram.at(-1)?.count).toBe(1);
    const rollout = stats.ruleMisses.find((r) => r.id === "rollout-metric");
    expect(rollout?.missed).toBe(0);
    expect(stats.ruleMisses[0]?.share).toBe(0.8);
  });

  it("shows the most missed rule with accessible SVG charts and data tables", async () => {
    const page = await instructor.get(`/admin/analytics/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      /Most missed: <strong>[^<]+<\/strong> \(<code>[a-z-]+<\/code>\), missed by 80% of submissions/,
    );
    expect(page.text).toContain(
      '<svg class="chart" id="chart-rules" role="img" aria-labelledby="chart-rules-title chart-rules-desc"',
    );
    expect(page.text).toContain(
      '<title id="chart-scores-title">Final scores on Metrics for launching priority rides</title>',
    );
    expect(page.text).toContain('<desc id="chart-rules-desc">Most missed:');
    expect(page.text.match(/<table class="data chart-data">/g)?.length).toBe(3);
    expect(page.text).toContain('<th scope="row">1 attempt</th><td>3</td>');
    expect(page.text).toContain("4 students, 5 graded submissions, 16 points.");
    const list = await instructor.get("/admin/analytics");
    expect(list.text).toContain(`href="/admin/analytics/${id}"`);
    expect(list.text).toContain("(80%)");
  });

  it("finds the fault combinations students' code fails most, from the fault-space rows", async () => {
    const { user } = await agentFor(t, "student");
    const table = {
      fixture: "eligible",
      executions: 3,
      columns: ["pricing.quote", "payments.charge", "email.send"],
      rows: [
        { n: 1, cells: ["ok", "ok", "ok"], failing: [], settled: "returned" },
        { n: 2, cells: ["ok", "timeout", "-"], failing: ["charge-once"], settled: "returned" },
        { n: 3, cells: ["error", "ok", "timeout"], failing: ["email-soft"], settled: "threw" },
      ],
      omittedRows: 0,
    };
    const result = {
      status: "graded",
      score: 1,
      maxScore: 2,
      tests: [
        { id: "email-soft", name: "Email is soft", status: "fail", points: 0, maxPoints: 1, message: "m" },
        { id: "charge-once", name: "Charge once", status: "pass", points: 1, maxPoints: 1, message: "m" },
      ],
      details: { faultSpace: [table] },
    };
    const insert = t.db.prepare(
      "INSERT INTO submissions (user_id, exercise_id, answer, status, result, score, max_score) VALUES (?, 'checkout-fallbacks', '{}', 'graded', ?, 1, 2)",
    );
    insert.run(user.id, JSON.stringify(result));
    insert.run(
      user.id,
      JSON.stringify({ ...result, details: { faultSpace: [{ ...table, rows: table.rows.slice(0, 2) }] } }),
    );
    const stats = exerciseStats(t.db, t.course, "checkout-fallbacks");
    expect(stats.faultCombos).toEqual([
      { label: "payments.charge=timeout", count: 2 },
      { label: "email.send=timeout + pricing.quote=error", count: 1 },
    ]);
    const page = await instructor.get("/admin/analytics/checkout-fallbacks");
    expect(page.text).toContain('<th scope="row">payments.charge=timeout</th><td>2</td>');
  });
});
