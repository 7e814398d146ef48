/**
 * The two new code-answered kinds through the server, unchanged: the editor page is pre-filled with
 * the starter, a submission is queued and graded by a worker, and the result page shows the details.
 * Covers functional-tests too, so the app is started once.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, makeUser, signIn, type TestApp } from "../../../helpers/app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ GRADER_WORKERS: "1" });
  await t.queue.start();
});
afterAll(() => t.close());

async function student() {
  const { user, password } = await makeUser(t.db);
  const agent = await signIn(t.app, user.email, password);
  const csrf = (await agent.get("/api/session")).body.csrfToken as string;
  const submit = (id: string, code: string) =>
    agent.post(`/api/exercises/${id}/submissions`).set("X-CSRF-Token", csrf).send({ answer: { code } });
  const graded = async (submissionId: number) => {
    for (let i = 0; i < 300; i++) {
      const res = await agent.get(`/api/submissions/${submissionId}`);
      if (res.body.status === "graded" || res.body.status === "error") return res.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`submission ${submissionId} was not graded in time`);
  };
  return { agent, submit, graded };
}

describe("dark-launch-flag and functional-tests through the server", () => {
  it("pre-fill the code editor with each exercise's starter", async () => {
    const { agent } = await student();
    const rides = await agent.get("/exercises/dark-launch-flag");
    expect(rides.text).toContain('data-editor="typescript"');
    expect(rides.text).toContain("export async function quoteRide");
    const tests = await agent.get("/exercises/functional-tests");
    expect(tests.text).toContain("a first purchase gets the discount when the flag is on");
  });

  it("grade a flag-off regression with the counterexample on the result page", async () => {
    const s = await student();
    const sample = parseYaml(
      readFileSync("exercises/dark-launch-flag/samples/long-trips-quoted-when-off.yaml", "utf8"),
    ) as { answer: string };
    const res = await s.submit("dark-launch-flag", sample.answer);
    expect(res.status).toBe(201);
    const body = await s.graded(res.body.id);
    expect(body.result.score).toBe(14);
    const page = await s.agent.get(`/submissions/${res.body.id}`);
    expect(page.text).toContain("Counterexample");
    expect(page.text).toContain("Your ramp");
    // The counterexample reads as a timeline: the request, the calls made beside legacy's, the answer given and the one expected.
    expect(page.text).toMatch(
      /<strong>Request:<\/strong> rider <code>r1<\/code>\s*\(employee: no, eligible for priority: no, bucket 82\),\s*trip of 101 km and 1 min, flag <strong>off<\/strong>\./,
    );
    expect(page.text).toMatch(
      /<strong>Your handler called:<\/strong>\s*<ul><li><code>pricing\.standardQuote\(\{&#34;distanceKm&#34;:101,&#34;minutes&#34;:1\}\)<\/code><\/li><\/ul>/,
    );
    expect(page.text).toMatch(/<strong>The legacy handler called:<\/strong>\s*nothing\./);
    expect(page.text).toContain(
      "<dt>Your answer</dt><dd><code>{&#34;status&#34;:&#34;ok&#34;,&#34;riderId&#34;:&#34;r1&#34;,&#34;standardCents&#34;:12400,&#34;etaMinutes&#34;:6}</code></dd>",
    );
    expect(page.text).toContain(
      '<dt>Expected</dt><dd><code>{&#34;status&#34;:&#34;invalid&#34;,&#34;reason&#34;:&#34;trips over 100 km are not offered&#34;}</code> <span class="muted">(the legacy handler\'s answer)</span></dd>',
    );
    // The raw JSON is still there, behind its own toggle.
    expect(page.text).toContain('<details class="counterexample-raw"><summary>Raw JSON (to replay this run)</summary>');
  });

  it("show a student's test that fails against the correct service as a table of its assertions", async () => {
    const s = await student();
    const sample = parseYaml(readFileSync("exercises/functional-tests/samples/wrong-expectation.yaml", "utf8")) as {
      answer: string;
    };
    const res = await s.submit("functional-tests", sample.answer);
    expect(res.status).toBe(201);
    const body = await s.graded(res.body.id);
    expect(body.result.tests.find((x: { id: string }) => x.id === "reference-passes")?.status).toBe("fail");
    const page = await s.agent.get(`/submissions/${res.body.id}`);
    expect(page.text).toContain(
      "<p>Your test <strong>flag on &gt; a first purchase pays full price when pricing is down</strong>, run against the correct service:</p>",
    );
    expect(page.text).toMatch(
      /<tr class="row-fail"><th scope="row">1<\/th><td><code>expect\(\{&#34;status&#34;:&#34;retry&#34;[^<]*\)\.toEqual\([^<]*\)<\/code><\/td><td>✗ no<\/td><\/tr>/,
    );
    expect(page.text).toMatch(/<dt>Why it fails<\/dt><dd><code>expect\(/);
    expect(page.text).toContain('<details class="counterexample-raw"><summary>Raw JSON (to replay this run)</summary>');
  });

  it("grade a happy-path suite and show the student's own tests and the behaviours missed", async () => {
    const s = await student();
    const res = await s.submit("functional-tests", readFileSync("exercises/functional-tests/starter.ts", "utf8"));
    const body = await s.graded(res.body.id);
    expect(body.result.score).toBe(6);
    const page = await s.agent.get(`/submissions/${res.body.id}`);
    expect(page.text).toContain("Your tests against the correct service");
    expect(page.text).toContain("✗ missed: a service where the discount is applied even though the flag is off");
  });
});
