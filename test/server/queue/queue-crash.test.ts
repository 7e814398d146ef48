import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import request from "supertest";
import Database from "better-sqlite3";
import { openDatabase } from "../../../server/db/database";
import { createUser } from "../../../server/users/users";
import { csrfFrom } from "../../helpers/app";
import { startServerProcess } from "../../helpers/server-process";

const code = readFileSync("exercises/checkout-fallbacks/solution-retry-reads.ts", "utf8");
const STUDENTS = 6;

interface Row {
  id: number;
  status: string;
  graded_at: string | null;
  result: string | null;
  attempts_run: number;
  score: number | null;
  max_score: number | null;
}

function rows(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare("SELECT id, status, graded_at, result, attempts_run, score, max_score FROM submissions ORDER BY id")
      .all() as Row[];
  } finally {
    db.close();
  }
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("a server killed during a burst of code submissions", () => {
  it("grades every accepted submission exactly once after restart, and shuts down gracefully", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "flagship-crash-"));
    const file = join(dataDir, "flagship.db");
    const setup = openDatabase(file);
    const accounts = [];
    for (let i = 0; i < STUDENTS; i++)
      accounts.push(await createUser(setup, { email: `s${i}@example.edu`, name: `S ${i}`, role: "student" }));
    setup.close();

    // One worker so the burst is still being worked through when the kill comes.
    const first = await startServerProcess({ DATA_DIR: dataDir, GRADER_WORKERS: "1" });
    for (const { user, password } of accounts) {
      const agent = request.agent(first.url);
      const token = csrfFrom((await agent.get("/login")).text);
      await agent.post("/login").type("form").send({ email: user.email, password, _csrf: token }).expect(302);
      const csrf = (await agent.get("/api/session")).body.csrfToken as string;
      const res = await agent
        .post("/api/exercises/checkout-fallbacks/submissions")
        .set("X-CSRF-Token", csrf)
        .send({ answer: { code } });
      expect(res.status).toBe(201);
    }
    await until("the first grading to finish", () =>
      rows(file).some((r) => r.status === "graded") ? true : undefined,
    );
    first.child.kill("SIGKILL");
    await first.exited;

    const atCrash = rows(file);
    expect(atCrash).toHaveLength(STUDENTS);
    const gradedBefore = atCrash.filter((r) => r.status === "graded");
    const unfinished = atCrash.filter((r) => r.status !== "graded");
    expect(gradedBefore.length).toBeGreaterThan(0);
    expect(unfinished.length).toBeGreaterThan(0);

    const second = await startServerProcess({ DATA_DIR: dataDir, GRADER_WORKERS: "2" });
    const after = await until("every submission to be graded", () => {
      const now = rows(file);
      return now.every((r) => r.status === "graded") ? now : undefined;
    });
    expect(after).toHaveLength(STUDENTS);
    for (const row of after) {
      expect(row.score).toBe(row.max_score);
      expect(JSON.parse(row.result ?? "{}").status).toBe("graded");
    }
    // Work finished before the crash was not graded again.
    for (const before of gradedBefore) {
      const now = after.find((r) => r.id === before.id);
      expect(now?.graded_at).toBe(before.graded_at);
      expect(now?.attempts_run).toBe(1);
    }
    // A job that was running at the kill was claimed once more, and only once.
    for (const row of unfinished.filter((r) => r.status === "running")) {
      expect(after.find((r) => r.id === row.id)?.attempts_run).toBe(2);
    }
    if (unfinished.some((r) => r.status === "running")) {
      expect(second.output()).toContain("re-queued submissions left running by a previous process");
    }

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain("shut down cleanly");
  }, 360_000);
});
