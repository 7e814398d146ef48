/**
 * No session is stored for a visitor until they sign in: the login form's CSRF token is bound to a
 * signed cookie instead. 3,000 cookieless requests used to leave 3,000 week-long session rows.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type session from "express-session";
import { csrfFrom, makeTestApp, makeUser, type TestApp } from "../helpers/app";
import { SqliteSessionStore } from "../../server/auth/session-store";
import { openDatabase } from "../../server/db/database";
import { migrations } from "../../server/db/migrations";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const sessionRows = () => t.db.prepare("SELECT count(*) FROM sessions").pluck().get() as number;

describe("visitors without a session", () => {
  it("leave no session row and get no session cookie, on pages, the API and errors alike", async () => {
    const paths = [
      "/login",
      "/login?next=%2Fexercises",
      "/",
      "/modules/dark-launches",
      "/api/session",
      "/no-such-page",
      "/healthz",
    ];
    for (let i = 0; i < 300; i++) {
      const res = await request(t.app).get(paths[i % paths.length]!);
      expect(String(res.headers["set-cookie"] ?? "")).not.toContain("flagship.sid");
    }
    expect(sessionRows()).toBe(0);
  });

  it("sign in with the cookie-bound token, and only then is one session stored", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    expect(String(page.headers["set-cookie"])).toMatch(/flagship\.csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const before = sessionRows();
    const res = await agent
      .post("/login")
      .type("form")
      .send({ email: user.email, password, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(302);
    expect(sessionRows()).toBe(before + 1);
    const stored = t.db.prepare("SELECT data FROM sessions ORDER BY rowid DESC LIMIT 1").pluck().get() as string;
    expect(JSON.parse(stored).passport.user).toBe(user.id);
  });

  it("refuse a login token without its cookie, with another browser's cookie, or with a tampered cookie", async () => {
    const { user, password } = await makeUser(t.db);
    const mine = request.agent(t.app);
    const token = csrfFrom((await mine.get("/login")).text);
    const bare = await request(t.app).post("/login").type("form").send({ email: user.email, password, _csrf: token });
    expect(bare.status).toBe(403);
    const other = request.agent(t.app);
    await other.get("/login");
    expect((await other.post("/login").type("form").send({ email: user.email, password, _csrf: token })).status).toBe(
      403,
    );
    const cookie = String((await request(t.app).get("/login")).headers["set-cookie"]).split(";")[0]!;
    const [name, value] = cookie.split("=") as [string, string];
    const tokenPart = value.slice(0, value.lastIndexOf("."));
    const tampered = `${name}=${tokenPart}.${"A".repeat(43)}`;
    expect(
      (
        await request(t.app)
          .post("/login")
          .set("Cookie", tampered)
          .type("form")
          .send({ email: user.email, password, _csrf: tokenPart })
      ).status,
    ).toBe(403);
    expect((await mine.post("/login").type("form").send({ email: user.email, password, _csrf: token })).status).toBe(
      302,
    );
  });
});

describe("the session store", () => {
  function cookie(maxAgeMs: number, now: number): session.Cookie {
    return { originalMaxAge: maxAgeMs, expires: new Date(now + maxAgeMs), httpOnly: true, path: "/" };
  }

  it("keeps a session without a signed-in user minutes, not a week, and sweeps it", () => {
    let now = 1_800_000_000_000;
    const store = new SqliteSessionStore(t.db, { anonymousTtlMs: 10 * 60_000, now: () => now });
    const week = 7 * 24 * 3600_000;
    store.set("anon-sid", { cookie: cookie(week, now) });
    store.set("user-sid", { cookie: cookie(week, now), passport: { user: 1 } } as unknown as session.SessionData);
    const expiry = (sid: string) =>
      t.db.prepare("SELECT expires_at FROM sessions WHERE sid = ?").pluck().get(sid) as number | undefined;
    expect(expiry("anon-sid")).toBe(now + 10 * 60_000);
    expect(expiry("user-sid")).toBe(now + week);
    now += 11 * 60_000;
    expect(store.sweep(true)).toBeGreaterThanOrEqual(1);
    expect(expiry("anon-sid")).toBeUndefined();
    expect(expiry("user-sid")).toBe(now - 11 * 60_000 + week);
  });

  it("drops the anonymous rows an older version stored, when the database is migrated", () => {
    const file = join(mkdtempSync(join(tmpdir(), "flagship-anon-")), "old.db");
    const id = "20261206_0401_login_reservations_anonymous_sessions";
    const old = openDatabase(
      file,
      migrations.filter((m) => m.id !== id),
    );
    const insert = old.prepare("INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)");
    for (let i = 0; i < 50; i++)
      insert.run(`anon-${i}`, JSON.stringify({ cookie: {}, csrfToken: "x" }), Date.now() + 86_400_000);
    insert.run("signed-in", JSON.stringify({ cookie: {}, passport: { user: 7 } }), Date.now() + 86_400_000);
    old.close();
    const migrated = openDatabase(file);
    expect(migrated.prepare("SELECT sid FROM sessions").pluck().all()).toEqual(["signed-in"]);
    migrated.close();
  });
});
