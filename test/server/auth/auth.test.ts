import { afterEach, beforeEach, describe, expect, it } from "vitest";
import request from "supertest";
import { csrfFrom, makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../helpers/app";

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

describe("login", () => {
  it("signs in with the right password and lands on the course home", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const home = await agent.get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain(user.name);
    expect(home.text).toContain("Releasing software reliably");
  });

  it("rejects a wrong password with a message and no session", async () => {
    const { user } = await makeUser(t.db);
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const res = await agent
      .post("/login")
      .type("form")
      .send({ email: user.email, password: "wrong", _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(401);
    expect(res.text).toContain("do not match an active account");
    expect((await agent.get("/")).headers.location).toMatch(/^\/login/);
  });

  it("rejects an unknown email with the same message as a wrong password", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const res = await agent
      .post("/login")
      .type("form")
      .send({ email: "nobody@example.edu", password: "x", _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(401);
    expect(res.text).toContain("do not match an active account");
  });

  it("refuses a deactivated account", async () => {
    const { user, password } = await makeUser(t.db);
    t.db.prepare("UPDATE users SET active = 0 WHERE id = ?").run(user.id);
    await expect(signIn(t.app, user.email, password)).rejects.toThrow(/401/);
  });

  it("never stores the password in plain text", async () => {
    const { user, password } = await makeUser(t.db);
    const stored = t.db.prepare("SELECT password_hash FROM users WHERE id = ?").pluck().get(user.id) as string;
    expect(stored).not.toContain(password);
    expect(stored).toMatch(/^scrypt\$/);
  });

  it("ignores an off-site next parameter", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const res = await agent
      .post("/login")
      .type("form")
      .send({ email: user.email, password, next: "//evil.example", _csrf: csrfFrom(page.text) });
    expect(res.headers.location).toBe("/");
  });

  it("signs out and the old session no longer works", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const res = await agent
      .post("/logout")
      .type("form")
      .send({ _csrf: await tokenFor(agent) });
    expect(res.headers.location).toBe("/login");
    expect((await agent.get("/")).status).toBe(302);
  });
});

describe("login throttle", () => {
  it("answers 429 after 10 failures for one account from one address within 15 minutes, even with the right password", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = request.agent(t.app);
    const token = csrfFrom((await agent.get("/login")).text);
    for (let i = 0; i < 10; i++) {
      const res = await agent
        .post("/login")
        .type("form")
        .send({ email: user.email, password: `wrong${i}`, _csrf: token });
      expect(res.status).toBe(401);
    }
    const blocked = await agent.post("/login").type("form").send({ email: user.email, password, _csrf: token });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain("Too many failed sign-in attempts");
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
  });
  // The rest of the sign-in policy (address, account, known browsers, bursts): test/security/login-policy.test.ts.
});

describe("CSRF", () => {
  it("rejects a form post without a token", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const res = await agent.post("/logout").type("form").send({});
    expect(res.status).toBe(403);
    expect(res.text).toContain("did not come from this site");
  });

  it("rejects a login post with a forged token", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = request.agent(t.app);
    await agent.get("/login");
    const res = await agent.post("/login").type("form").send({ email: user.email, password, _csrf: "forged" });
    expect(res.status).toBe(403);
  });

  it("answers API clients with JSON", async () => {
    const { user, password } = await makeUser(t.db, "instructor");
    const agent = await signIn(t.app, user.email, password);
    const res = await agent
      .post("/admin/users")
      .set("Accept", "application/json")
      .send({ email: "a@b.c", name: "A", role: "ta" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("csrf_invalid");
  });
});

describe("sessions", () => {
  it("survive a restart of the app on the same database", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const cookie = (await agent.get("/")).request.cookies;
    expect(cookie).toContain("flagship.sid");
    t = await t.restart();
    const res = await request(t.app).get("/").set("Cookie", cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain(user.name);
  });

  it("set an httpOnly, sameSite cookie", async () => {
    const res = await request(t.app).get("/login");
    const setCookie = String(res.headers["set-cookie"]);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
  });
});
