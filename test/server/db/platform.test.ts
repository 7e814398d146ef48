import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { ConfigError, loadConfig } from "../../../server/config";
import { openDatabase } from "../../../server/db/database";
import { migrations } from "../../../server/db/migrations";
import { makeTestApp, makeUser, signIn, type TestApp } from "../../helpers/app";

describe("migrations", () => {
  it("create every table on a fresh database and are recorded once", () => {
    const file = join(mkdtempSync(join(tmpdir(), "flagship-mig-")), "fresh.db");
    const db = openDatabase(file);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(["users", "sessions", "login_failures", "module_visits", "schema_migrations"]),
    );
    expect(db.prepare("SELECT id FROM schema_migrations ORDER BY id").pluck().all()).toEqual(
      migrations.map((m) => m.id).sort(),
    );
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    db.close();
    // Reopening applies nothing twice.
    const again = openDatabase(file);
    expect(again.prepare("SELECT count(*) FROM schema_migrations").pluck().get()).toBe(migrations.length);
    again.close();
  });

  it("roll back a failing migration as a whole", () => {
    const file = join(mkdtempSync(join(tmpdir(), "flagship-mig-")), "broken.db");
    expect(() =>
      openDatabase(file, [
        ...migrations,
        { id: "29990101_0001_broken", sql: "CREATE TABLE half (x); SELECT nope FROM nowhere;" },
      ]),
    ).toThrow();
    const db = openDatabase(file);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });
});

describe("config", () => {
  it("names the variable that has a bad value", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT:/);
    expect(() => loadConfig({ NODE_ENV: "staging" })).toThrow(/NODE_ENV:/);
    expect(() => loadConfig({ LOGIN_MAX_FAILURES: "0" })).toThrow(/LOGIN_MAX_FAILURES:/);
    expect(() => loadConfig({ SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET: must be at least 32 characters/);
  });

  it("refuses to start in production without a session secret", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET: required in production/);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32) }).NODE_ENV).toBe("production");
  });

  it("has working defaults", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe("./data");
    expect(config.GRADER_WORKERS).toBeGreaterThan(0);
  });
});

describe("http basics", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(() => t.close());

  it("answers /healthz 200 while the database answers, 503 when it does not", async () => {
    expect((await request(t.app).get("/healthz")).status).toBe(200);
    t.db.close();
    const down = await request(t.app).get("/healthz");
    expect(down.status).toBe(503);
    t = await t.restart();
  });

  it("sends security headers with a CSP that forbids inline script", async () => {
    const res = await request(t.app).get("/login");
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(res.text).not.toMatch(/<script>|style="/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-request-id"]).toBeTruthy();
  });

  it("answers 404 as HTML to browsers and JSON to API clients, without stack traces", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const html = await agent.get("/no/such/page").set("Accept", "text/html");
    expect(html.status).toBe(404);
    expect(html.text).toContain("Page not found");
    const json = await agent.get("/api/no-such-thing");
    expect(json.status).toBe(404);
    expect(json.body.error.code).toBe("not_found");
    expect(JSON.stringify(json.body)).not.toContain("stack");
  });

  it("shows no stack trace for bad input even in development, where npm start runs", async () => {
    const dev = await makeTestApp({ NODE_ENV: "development" });
    try {
      const { user, password } = await makeUser(dev.db);
      const agent = await signIn(dev.app, user.email, password);
      const session = await agent.get("/api/session");
      const res = await agent
        .post("/api/exercises/checkout-fallbacks/submissions")
        .set("x-csrf-token", session.body.csrfToken)
        .type("json")
        .send("not json");
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_json");
      expect(JSON.stringify(res.body)).not.toContain("stack");
    } finally {
      await dev.close();
    }
  });

  it("answers 413 to an oversized body", async () => {
    const res = await request(t.app)
      .post("/login")
      .set("Accept", "application/json")
      .type("json")
      .send({ email: "x".repeat(t.config.BODY_LIMIT_BYTES + 10) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("tells a browser that posted too much that nothing was saved and how to get the text back", async () => {
    const res = await request(t.app)
      .post("/login")
      .set("Accept", "text/html")
      .type("form")
      .send({ email: "x".repeat(t.config.BODY_LIMIT_BYTES + 10) });
    expect(res.status).toBe(413);
    expect(res.text).toContain("Too large to send");
    expect(res.text).toContain("nothing was saved. Go back: your browser still has what you wrote.");
    expect(res.text).toContain('href="/"');
  });
});
