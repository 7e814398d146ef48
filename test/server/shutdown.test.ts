/**
 * SIGTERM while a grading spins: the real server process stops taking work, gives the grading the
 * grace period, hands it back to the queue and exits, instead of waiting the minute a spinning
 * submission takes to run out its budget (48.7 s was measured; a process manager would kill -9).
 * Nothing here measures time: a server that waited would record a result, and this test checks
 * that the submission is back in line, untouched. The work budget now ends a spin in well under a
 * second, so the grace period is 0: any grace at all could let the grading finish first on a fast
 * machine, and the test would then check a race rather than the hand-back.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import request from "supertest";
import Database from "better-sqlite3";
import { openDatabase } from "../../server/db/database";
import { createUser } from "../../server/users/users";
import { csrfFrom } from "../helpers/app";
import { startServerProcess } from "../helpers/server-process";

const spinning = `
import { type CheckoutRequest, type CheckoutResponse, type Deps } from "flagship:checkout";
export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
  await deps.users.getUser(req.userId);
  while (true) {}
}
`;

interface Row {
  status: string;
  worker_id: string | null;
  attempts_run: number;
  result: string | null;
}

function row(file: string, id: number): Row | undefined {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT status, worker_id, attempts_run, result FROM submissions WHERE id = ?").get(id) as
      Row | undefined;
  } finally {
    db.close();
  }
}

describe("shutdown during a grading that spins", () => {
  it("hands the grading back to the queue and exits cleanly", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "flagship-shutdown-"));
    const file = join(dataDir, "flagship.db");
    const setup = openDatabase(file);
    const { user, password } = await createUser(setup, {
      email: "spinner@example.edu",
      name: "Spinner",
      role: "student",
    });
    setup.close();

    const server = await startServerProcess({ DATA_DIR: dataDir, GRADER_WORKERS: "1", SHUTDOWN_GRACE_MS: "0" });
    try {
      const agent = request.agent(server.url);
      const token = csrfFrom((await agent.get("/login")).text);
      await agent.post("/login").type("form").send({ email: user.email, password, _csrf: token }).expect(302);
      const csrf = (await agent.get("/api/session")).body.csrfToken as string;
      const res = await agent
        .post("/api/exercises/checkout-fallbacks/submissions")
        .set("X-CSRF-Token", csrf)
        .send({ answer: { code: spinning } });
      expect(res.status).toBe(201);
      const id = res.body.id as number;
      while (row(file, id)?.status !== "running") await new Promise((r) => setTimeout(r, 50));

      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);

      const after = row(file, id);
      expect(after).toEqual({ status: "queued", worker_id: null, attempts_run: 0, result: null });
      expect(server.output()).toContain("handed unfinished gradings back to the queue");
      expect(server.output()).toContain("shut down cleanly");
    } finally {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    }
  });
});
