/**
 * A code submission whose response misses a declared field: graded by the real queue and sandbox, its
 * result page shows the type warning (line, column, the compiler's words) beside the grading.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, makeUser, signIn, type TestApp } from "../../helpers/app";

const id = "checkout-fallbacks";
const reference = readFileSync(`exercises/${id}/solution.ts`, "utf8");
let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp({ GRADER_WORKERS: "1" });
  await t.queue.start();
});
afterAll(() => t.close());

describe("type warnings beside a code grading", () => {
  it("name a missing response field with its line and column, on the student's and the staff's page", async () => {
    const original = '{ status: "retry", reason: `pricing unavailable: ${describe(e)}` }';
    const code = reference.replace(original, '{ status: "retry" }');
    const line = code.split("\n").findIndex((l) => l.includes('{ status: "retry" }')) + 1;
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const csrf = (await agent.get("/api/session")).body.csrfToken as string;
    const sid = (
      await agent.post(`/api/exercises/${id}/submissions`).set("X-CSRF-Token", csrf).send({ answer: { code } })
    ).body.id as number;
    let body:
      | { status: string; result: { status: string; warnings?: { line: number; column: number; message: string }[] } }
      | undefined;
    for (let i = 0; i < 4800 && body?.status !== "graded"; i++) {
      body = (await agent.get(`/api/submissions/${sid}`)).body;
      if (body?.status !== "graded") await new Promise((r) => setTimeout(r, 50));
    }
    expect(body?.status).toBe("graded");
    expect(body?.result.warnings).toEqual([
      { line, column: expect.any(Number), message: expect.stringContaining("Property 'reason' is missing in type") },
    ]);
    const page = await agent.get(`/submissions/${sid}`);
    expect(page.text).toContain("Type warnings (1)");
    expect(page.text).toMatch(
      new RegExp(
        `line ${line}, column \\d+</span>: <code>Type &#39;\\{ status: &#34;retry&#34;; \\}&#39; is not assignable`,
      ),
    );
    expect(page.text).toContain("Property &#39;reason&#39; is missing in type");
    // The staff view shows the same warnings.
    const ta = await makeUser(t.db, "ta");
    const staff = await signIn(t.app, ta.user.email, ta.password);
    expect((await staff.get(`/staff/submissions/${sid}`)).text).toContain("Type warnings (1)");
  }, 300_000);
});
