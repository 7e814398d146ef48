import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../helpers/app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe("role guards", () => {
  it("sends anonymous browsers to the login page and API clients a 401", async () => {
    const page = await request(t.app).get("/modules/dark-launches").set("Accept", "text/html");
    expect(page.status).toBe(302);
    expect(page.headers.location).toBe("/login?next=%2Fmodules%2Fdark-launches");
    const api = await request(t.app).get("/admin/users").set("Accept", "application/json");
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe("unauthenticated");
  });

  it("gives a student 403 on the roster, and a TA too", async () => {
    for (const role of ["student", "ta"] as const) {
      const { user, password } = await makeUser(t.db, role);
      const agent = await signIn(t.app, user.email, password);
      const res = await agent.get("/admin/users");
      expect(res.status).toBe(403);
      expect(res.text).toContain("do not have permission");
      const post = await agent
        .post("/admin/users")
        .type("form")
        .send({ _csrf: await tokenFor(agent), email: "x@y.z", name: "X", role: "instructor" });
      expect(post.status).toBe(403);
    }
    expect(t.db.prepare("SELECT count(*) FROM users WHERE email = 'x@y.z'").pluck().get()).toBe(0);
  });

  it("takes regrade requests from students only: staff who answered an exercise themselves get 403", async () => {
    const result = JSON.stringify({
      status: "graded",
      score: 1,
      maxScore: 2,
      tests: [{ id: "r", name: "R", status: "fail", points: 1, maxPoints: 2, message: "m" }],
    });
    const ask = async (role: "student" | "ta" | "instructor") => {
      const { user, password } = await makeUser(t.db, role);
      const agent = await signIn(t.app, user.email, password);
      const id = t.db
        .prepare(
          "INSERT INTO submissions (user_id, exercise_id, answer, status, result, score, max_score, graded_at) VALUES (?, 'rollout-plan', '{}', 'graded', ?, 1, 2, '2026-12-01T00:00:00.000Z')",
        )
        .run(user.id, result).lastInsertRowid;
      const res = await agent
        .post(`/submissions/${id}/regrades`)
        .type("form")
        .send({ _csrf: await tokenFor(agent), reason: "The rubric missed my rollback step entirely." });
      return {
        status: res.status,
        requests: t.db.prepare("SELECT count(*) FROM regrade_requests WHERE submission_id = ?").pluck().get(id),
      };
    };
    expect(await ask("student")).toEqual({ status: 303, requests: 1 });
    expect(await ask("ta")).toEqual({ status: 403, requests: 0 });
    expect(await ask("instructor")).toEqual({ status: 403, requests: 0 });
    // The same staff still read the pages students read.
    const { user, password } = await makeUser(t.db, "ta");
    expect((await (await signIn(t.app, user.email, password)).get("/modules/dark-launches")).status).toBe(200);
  });

  it("reads the roster's search and page from the query forgivingly: what does not fit is no filter, page 1", async () => {
    const { user, password } = await makeUser(t.db, "instructor");
    const agent = await signIn(t.app, user.email, password);
    await makeUser(t.db, "student");
    const everyone = (await agent.get("/admin/users")).text;
    const found = await agent.get(`/admin/users?q=${encodeURIComponent(user.email)}&page=abc`);
    expect(found.status).toBe(200);
    expect(found.text).toContain(user.email);
    expect(found.text.match(/<tr/g)?.length).toBeLessThan(everyone.match(/<tr/g)?.length ?? 0);
    // Two values for one field (q[]=…) are not a search: the whole roster, as with none.
    const repeated = await agent.get("/admin/users?q=a&q=b&page[x]=2");
    expect(repeated.status).toBe(200);
    expect(repeated.text.match(/<tr/g)?.length).toBe(everyone.match(/<tr/g)?.length);
  });

  it("lets an instructor add a user, see the password once, change the role and reset the password", async () => {
    const { user, password } = await makeUser(t.db, "instructor");
    const agent = await signIn(t.app, user.email, password);
    const add = await agent
      .post("/admin/users")
      .type("form")
      .send({
        _csrf: await tokenFor(agent, "/admin/users"),
        email: "New.Person@Example.edu",
        name: "New Person",
        role: "student",
      });
    expect(add.status).toBe(302);
    const roster = await agent.get("/admin/users");
    const secret = /<code class="secret">([^<]+)<\/code>/.exec(roster.text)?.[1];
    expect(secret).toBeTruthy();
    expect((await agent.get("/admin/users")).text).not.toContain(secret!);

    const newcomer = await signIn(t.app, "new.person@example.edu", secret!);
    expect((await newcomer.get("/")).status).toBe(200);

    const id = t.db.prepare("SELECT id FROM users WHERE email = ?").pluck().get("new.person@example.edu") as number;
    await agent
      .post(`/admin/users/${id}/role`)
      .type("form")
      .send({ _csrf: await tokenFor(agent), role: "ta" });
    expect(t.db.prepare("SELECT role FROM users WHERE id = ?").pluck().get(id)).toBe("ta");

    // The first click asks; nothing changes until the instructor confirms.
    const asked = await agent
      .post(`/admin/users/${id}/reset-password`)
      .type("form")
      .send({ _csrf: await tokenFor(agent) });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain("Reset the password of");
    expect(asked.text).toContain('name="confirm" value="yes"');
    expect((await newcomer.get("/")).status).toBe(200);
    await agent
      .post(`/admin/users/${id}/reset-password`)
      .type("form")
      .send({ _csrf: await tokenFor(agent), confirm: "yes" });
    // Resetting signs the user out everywhere.
    expect((await newcomer.get("/")).status).toBe(302);
  });

  it("re-renders the add form with the input kept and a message per field", async () => {
    const { user, password } = await makeUser(t.db, "instructor");
    const agent = await signIn(t.app, user.email, password);
    const res = await agent
      .post("/admin/users")
      .type("form")
      .send({
        _csrf: await tokenFor(agent, "/admin/users"),
        email: "not-an-email",
        name: "Kept Name",
        role: "student",
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain("must be an email address");
    expect(res.text).toContain('value="Kept Name"');
    expect(res.text).toContain('value="not-an-email"');
  });

  it("refuses a duplicate email with 409 and keeps the existing account", async () => {
    const { user, password } = await makeUser(t.db, "instructor");
    const agent = await signIn(t.app, user.email, password);
    const res = await agent
      .post("/admin/users")
      .type("form")
      .send({
        _csrf: await tokenFor(agent, "/admin/users"),
        email: user.email.toUpperCase(),
        name: "Dup",
        role: "student",
      });
    expect(res.status).toBe(409);
    expect(res.text).toContain(`Email is already on the roster (${user.email})`);
  });

  it("does not let an instructor deactivate or demote themselves", async () => {
    const { user, password } = await makeUser(t.db, "instructor");
    const agent = await signIn(t.app, user.email, password);
    // The roster offers neither on your own row; a crafted request gets its answer on the roster.
    const roster = await agent.get("/admin/users");
    expect(roster.text).not.toContain(`action="/admin/users/${user.id}/role"`);
    expect(roster.text).not.toContain(`action="/admin/users/${user.id}/active"`);
    const res = await agent
      .post(`/admin/users/${user.id}/role`)
      .type("form")
      .send({ _csrf: await tokenFor(agent), role: "student" });
    expect(res.status).toBe(303);
    expect((await agent.get("/admin/users")).text).toContain("You cannot change the role of your own account");
    const off = await agent
      .post(`/admin/users/${user.id}/active`)
      .type("form")
      .send({ _csrf: await tokenFor(agent), active: "0" });
    expect(off.status).toBe(303);
    expect((await agent.get("/admin/users")).text).toContain("You cannot deactivate your own account");
    expect(t.db.prepare("SELECT role, active FROM users WHERE id = ?").get(user.id)).toEqual({
      role: "instructor",
      active: 1,
    });
    // An unknown role is named on the roster too.
    const other = await makeUser(t.db, "student");
    await agent
      .post(`/admin/users/${other.user.id}/role`)
      .type("form")
      .send({ _csrf: await tokenFor(agent), role: "admin" });
    expect((await agent.get("/admin/users")).text).toContain("choose student, ta or instructor");
    expect(t.db.prepare("SELECT role FROM users WHERE id = ?").pluck().get(other.user.id)).toBe("student");
  });

  it("finds people on a large roster by name or email, a page at a time", async () => {
    const { user, password } = await makeUser(t.db, "instructor");
    const agent = await signIn(t.app, user.email, password);
    const insert = t.db.prepare("INSERT INTO users (email, name, role, password_hash) VALUES (?, ?, 'student', 'x')");
    t.db.transaction(() => {
      for (let i = 0; i < 250; i++)
        insert.run(`bulk${String(i).padStart(3, "0")}@example.edu`, `Bulk Student ${String(i).padStart(3, "0")}`);
    })();
    const total = t.db.prepare("SELECT count(*) FROM users").pluck().get() as number;
    const first = await agent.get("/admin/users");
    expect(first.text).toContain(`People (${total})`);
    expect(first.text.match(/action="\/admin\/users\/\d+\/reset-password"/g)?.length).toBe(100);
    expect(first.text).toContain(`Showing 1–100 of ${total}`);
    const last = await agent.get("/admin/users").query({ page: "3" });
    expect(last.text).toContain(`Showing 201–${total} of ${total}`);
    const found = await agent.get("/admin/users").query({ q: "bulk042" });
    expect(found.text).toContain("bulk042@example.edu");
    expect(found.text).toContain("People matching “bulk042” (1)");
    expect(found.text).not.toContain("bulk043@example.edu");
    // A page past the end or nonsense shows the last or first page, never an error.
    expect((await agent.get("/admin/users").query({ page: "999" })).status).toBe(200);
    expect((await agent.get("/admin/users").query({ page: "x", q: "%_" })).status).toBe(200);
  });

  it("signs a deactivated user out at once", async () => {
    const admin = await makeUser(t.db, "instructor");
    const student = await makeUser(t.db, "student");
    const adminAgent = await signIn(t.app, admin.user.email, admin.password);
    const studentAgent = await signIn(t.app, student.user.email, student.password);
    const asked = await adminAgent
      .post(`/admin/users/${student.user.id}/active`)
      .type("form")
      .send({ _csrf: await tokenFor(adminAgent), active: "0" });
    expect(asked.text).toContain(`Deactivate ${student.user.name}`);
    expect((await studentAgent.get("/")).status).toBe(200);
    await adminAgent
      .post(`/admin/users/${student.user.id}/active`)
      .type("form")
      .send({ _csrf: await tokenFor(adminAgent), active: "0", confirm: "yes" });
    expect((await studentAgent.get("/")).status).toBe(302);
    // Reactivating is not destructive: it acts at once.
    await adminAgent
      .post(`/admin/users/${student.user.id}/active`)
      .type("form")
      .send({ _csrf: await tokenFor(adminAgent), active: "1" });
    expect(t.db.prepare("SELECT active FROM users WHERE id = ?").pluck().get(student.user.id)).toBe(1);
  });
});
