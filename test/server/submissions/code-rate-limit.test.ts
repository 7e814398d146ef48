/**
 * Code submissions per student through the real app: past CODE_SUBMIT_LIMIT in the window, 429 with
 * Retry-After and a message that says how long; another student is unaffected; and a student's
 * resubmissions keep one copy of the code, not one per submission.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../helpers/app";

const id = "checkout-fallbacks";
const reference = readFileSync(`exercises/${id}/solution.ts`, "utf8");
let t: TestApp;

beforeAll(async () => {
  // The queue is not started: these submissions wait in line, which is all the limit looks at.
  t = await makeTestApp({ CODE_SUBMIT_LIMIT: "3", CODE_SUBMIT_WINDOW_SECONDS: "600" });
});
afterAll(() => t.close());

async function apiStudent() {
  const { user, password } = await makeUser(t.db);
  const agent = await signIn(t.app, user.email, password);
  const csrf = (await agent.get("/api/session")).body.csrfToken as string;
  const submit = (code: string) =>
    agent.post(`/api/exercises/${id}/submissions`).set("X-CSRF-Token", csrf).send({ answer: { code } });
  return { user, agent, submit };
}

describe("the per-student limit on code submissions", () => {
  it("answers 429 with Retry-After past the limit, for that student only", async () => {
    const a = await apiStudent();
    for (let i = 0; i < 3; i++) expect((await a.submit(`${reference}\n// try ${i}\n`)).status).toBe(201);
    const refused = await a.submit(`${reference}\n// one too many\n`);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("too_many_submissions");
    expect(refused.body.error.message).toMatch(/You sent 3 code submissions in the last 600 seconds; wait \d+ s/);
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Nothing was stored for the refused one.
    expect(t.db.prepare("SELECT count(*) FROM submissions WHERE user_id = ?").pluck().get(a.user.id)).toBe(3);

    const b = await apiStudent();
    expect((await b.submit(reference)).status).toBe(201);
  });

  it("refuses the form post too, with the page saying how long to wait", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const post = async () =>
      agent
        .post(`/exercises/${id}/submissions`)
        .type("form")
        .send({ _csrf: await tokenFor(agent, `/exercises/${id}`), code: reference });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(303);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(refused.text).toContain("code submissions in the last 600 seconds");
  });

  it("keeps one copy of a student's code however often they resubmit while it waits", async () => {
    const a = await apiStudent();
    const big = `${reference}\n/*${"x".repeat(50 * 1024)}*/\n`;
    for (let i = 0; i < 3; i++) expect((await a.submit(`${big}// ${i}\n`)).status).toBe(201);
    const stored = t.db
      .prepare("SELECT status, length(answer) AS bytes FROM submissions WHERE user_id = ? ORDER BY id")
      .all(a.user.id) as Array<{ status: string; bytes: number }>;
    expect(stored.map((s) => s.status)).toEqual(["superseded", "superseded", "queued"]);
    expect(stored[0]?.bytes).toBe(2);
    expect(stored[1]?.bytes).toBe(2);
    expect(stored[2]?.bytes).toBeGreaterThan(50 * 1024);
  });
});
