import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import request from "supertest";
import { loadConfig } from "../../server/config";
import { openDatabase } from "../../server/db/database";
import { loadCourse } from "../../server/course";
import { createLogger } from "../../server/logger";
import { createApp } from "../../server/app";
import { createUser } from "../../server/users/users";
import { csrfFrom, testSecret } from "../helpers/app";

describe("logs", () => {
  it("carry request ids and never a password, cookie or CSRF token", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
    const dataDir = mkdtempSync(join(tmpdir(), "flagship-log-"));
    const config = loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir });
    const db = openDatabase(join(dataDir, "flagship.db"));
    const course = await loadCourse({ contentDir: "content", exercisesDir: "exercises" });
    const app = createApp({ config, db, logger, course }, { sessionSecret: testSecret });
    const { user, password } = await createUser(db, { email: "log@example.edu", name: "Log", role: "student" });

    const agent = request.agent(app);
    const token = csrfFrom((await agent.get("/login")).text);
    await agent.post("/login").type("form").send({ email: user.email, password: "wrong-guess", _csrf: token });
    await agent.post("/login").type("form").send({ email: user.email, password, _csrf: token });
    const home = await agent.get("/").set("X-CSRF-Token", token);
    const cookie = String(home.request.cookies);

    const log = lines.join("");
    expect(lines.length).toBeGreaterThan(3);
    expect(log).toMatch(/"req":\{"id":"[0-9a-f-]{36}"/);
    expect(log).toContain("login failed");
    expect(log).not.toContain(password);
    expect(log).not.toContain("wrong-guess");
    expect(log).not.toContain(token);
    expect(log).not.toContain(cookie.split("=")[1]!.slice(0, 20));
    // A request line is method, path, status, time and request id: no headers, no query string.
    const requestLines = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === "request completed");
    expect(requestLines.length).toBeGreaterThan(2);
    for (const line of requestLines) {
      expect(line.req).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        method: expect.any(String),
        path: expect.stringMatching(/^\/[^?]*$/),
      });
      expect(line.res).toEqual({ statusCode: expect.any(Number) });
      expect(line.responseTime).toEqual(expect.any(Number));
    }
    await agent.get("/exercises?q=Ada%20Lovelace").set("User-Agent", "a-browser-nobody-should-log");
    expect(lines.join("")).not.toContain("a-browser-nobody-should-log");
    expect(lines.join("")).not.toContain("Lovelace");
    db.close();
  });
});
