import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../helpers/app";

const id = "checkout-fallbacks";
const reference = readFileSync(`exercises/${id}/solution.ts`, "utf8");
let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp({ GRADER_WORKERS: "2" });
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

async function waitForGrade(agent: Awaited<ReturnType<typeof apiStudent>>["agent"], submissionId: number) {
  // Up to three minutes: a grading on a machine whose cores are busy with other work takes a while.
  for (let i = 0; i < 1800; i++) {
    const res = await agent.get(`/api/submissions/${submissionId}`);
    if (["graded", "error", "compile_error", "infrastructure_error"].includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`submission ${submissionId} was not graded in time`);
}

describe("code submissions through the queue (queue stopped)", () => {
  it("are queued with their place in line, and a newer one supersedes a queued one", async () => {
    const a = await apiStudent();
    const b = await apiStudent();
    const first = await a.submit(reference);
    expect(first.status).toBe(201);
    expect(first.body.status).toBe("queued");
    const other = await b.submit(reference);
    expect(other.body.position).toBe(2);
    const newer = await a.submit(`${reference}\n// second try\n`);
    expect((await a.agent.get(`/api/submissions/${first.body.id}`)).body.status).toBe("superseded");
    // b is now first in line, a's newer submission second.
    expect((await b.agent.get(`/api/submissions/${other.body.id}`)).body.position).toBe(1);
    expect(newer.body.position).toBe(2);
    const page = await a.agent.get(`/submissions/${newer.body.id}`);
    expect(page.text).toContain("position 2 in line");
    // A superseded submission does not use up an attempt.
    expect((await a.agent.get(`/exercises/${id}`)).text).toContain("1 of");
  });

  it("never supersede a submission queued again for a regrade: it already has a result", async () => {
    const a = await apiStudent();
    const first = await a.submit(reference);
    // As the instructor's regrade does: a graded submission goes back in line, result kept.
    t.db
      .prepare(
        "UPDATE submissions SET status = 'queued', graded_at = '2026-11-28T00:00:00Z', result = '{}' WHERE id = ?",
      )
      .run(first.body.id);
    await a.submit(`${reference}\n// newer\n`);
    expect((await a.agent.get(`/api/submissions/${first.body.id}`)).body.status).toBe("queued");
  });

  it("reject empty or oversized code with a message naming the field", async () => {
    const a = await apiStudent();
    const empty = await a.submit("");
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues[0]).toEqual({ path: "answer.code", message: expect.stringContaining("empty") });
    // Only whitespace is empty too: it would cost an attempt and grade nothing.
    const blank = await a.submit("  \n\t\n");
    expect(blank.status).toBe(400);
    expect(blank.body.error.issues[0]).toEqual({ path: "answer.code", message: expect.stringContaining("empty") });
    const huge = await a.submit("x".repeat(70 * 1024));
    expect(huge.status).toBe(400);
    expect(huge.body.error.issues[0].message).toContain("larger than 64 KB");
  });
});

describe("code submissions through the queue (queue running)", () => {
  it("grades the reference solution in the sandbox with full marks and the fault-space picture", async () => {
    await t.queue.start();
    const a = await apiStudent();
    const res = await a.submit(reference);
    const graded = await waitForGrade(a.agent, res.body.id);
    expect(graded.result.status).toBe("graded");
    expect(graded.result.score).toBe(graded.result.maxScore);
    expect(graded.result.executions).toBeGreaterThan(0);
    const page = await a.agent.get(`/submissions/${res.body.id}`);
    expect(page.text).toContain(`${graded.result.executions} executions explored`);
    expect(page.text).toContain("fault-space");
  });

  it("grades a buggy solution with a counterexample for the rule it breaks", async () => {
    const a = await apiStudent();
    const sample = parseYaml(readFileSync(`exercises/${id}/samples/email-cancels-order.yaml`, "utf8")) as {
      answer: string;
    };
    const res = await a.submit(sample.answer);
    const graded = await waitForGrade(a.agent, res.body.id);
    expect(graded.result.status).toBe("graded");
    const emailSoft = graded.result.tests.find((test: { id: string }) => test.id === "email-soft");
    expect(emailSoft.status).toBe("fail");
    expect(emailSoft.counterexample.faults[0].call).toMatch(/^email\.sendDiscountEmail#1$/);
    const page = await a.agent.get(`/submissions/${res.body.id}`);
    expect(page.text).toContain("Counterexample");
  });

  it("regrades code through the queue and records the new result in the regrade history", async () => {
    const a = await apiStudent();
    const res = await a.submit(reference);
    await waitForGrade(a.agent, res.body.id);
    const admin = await makeUser(t.db, "instructor");
    const instructor = await signIn(t.app, admin.user.email, admin.password);
    const regrade = await instructor
      .post(`/admin/authoring/${id}/rerun-grading`)
      .type("form")
      .send({ _csrf: await tokenFor(instructor, `/admin/authoring/${id}`) });
    expect(regrade.status).toBe(303);
    const history = () =>
      t.db
        .prepare("SELECT new_score, new_result IS NOT NULL AS has_result FROM regrade_history WHERE submission_id = ?")
        .get(res.body.id) as { new_score: number | null; has_result: number } | undefined;
    for (let i = 0; i < 300 && !history()?.has_result; i++) await new Promise((r) => setTimeout(r, 100));
    expect(history()).toEqual({ new_score: 18, has_result: 1 });
  });

  it("shows the code editor page with the starter file and accepts a form post", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const page = await agent.get(`/exercises/${id}`);
    expect(page.text).toContain('data-editor="typescript"');
    expect(page.text).toContain("export async function checkout");
    const post = await agent
      .post(`/exercises/${id}/submissions`)
      .type("form")
      .send({ _csrf: await tokenFor(agent, `/exercises/${id}`), code: reference });
    expect(post.status).toBe(303);
    const sid = Number(post.headers.location!.split("/").pop());
    const graded = await waitForGrade(agent, sid);
    expect(graded.result.score).toBe(graded.result.maxScore);
    // The student can read what they sent, with line numbers for the compiler's "line, column".
    const submissionPage = await agent.get(`/submissions/${sid}`);
    expect(submissionPage.text).toContain("The code you submitted");
    expect(submissionPage.text).toContain('<ol class="code-lines" tabindex="0" aria-label="Submitted code">');
    expect(submissionPage.text).toContain("export async function checkout");
  });

  it("shows a compile error once, above the rules, with line and column", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const post = await agent
      .post(`/exercises/${id}/submissions`)
      .type("form")
      .send({
        _csrf: await tokenFor(agent, `/exercises/${id}`),
        code: "export async function checkout() {\n  return ;;(\n}\n",
      });
    const sid = Number(post.headers.location!.split("/").pop());
    const graded = await waitForGrade(agent, sid);
    expect(graded.status).toBe("compile_error");
    expect(graded.result.score).toBe(0);
    const page = await agent.get(`/submissions/${sid}`);
    expect(page.text.split("did not compile").length - 1).toBe(1);
    expect(page.text).toContain("line 3, column 1: Unexpected &#34;}&#34;");
  });
});
