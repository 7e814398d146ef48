/**
 * What staff and operators see of grading: the staff page's figures (queue depth, oldest age,
 * workers, gradings a minute, failures) and the Prometheus metrics on their own port, on the real
 * app and database. Students place in line is in the queue contract test.
 */
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, makeUser, signIn, type TestApp } from "../../helpers/app";
import { createSubmission, recordResult } from "../../../server/submissions/submissions";
import { createGradingMetrics } from "../../../server/metrics/metrics";
import { startMetricsServer } from "../../../server/metrics/metrics-server";
import { infrastructureErrorResult, type GradingResult } from "../../../grader/result";

const reference = readFileSync("exercises/checkout-fallbacks/solution.ts", "utf8");
let t: TestApp;
let metricsServer: Server | undefined;

beforeAll(async () => {
  t = await makeTestApp({ GRADER_WORKERS: "2" });
});
afterAll(async () => {
  metricsServer?.close();
  await t.close();
});

const graded: GradingResult = { status: "graded", score: 18, maxScore: 18, tests: [] };

describe("grading figures", () => {
  it("the staff page shows depth, oldest age, workers, gradings a minute and failures", async () => {
    const s = await makeUser(t.db);
    const queued = [0, 1, 2].map((i) =>
      createSubmission(t.db, {
        userId: s.user.id,
        exerciseId: ["checkout-fallbacks", "dark-launch-flag", "functional-tests"][i]!,
        answer: { code: reference },
        status: "queued",
        maxAttempts: 10,
      }),
    );
    t.db
      .prepare("UPDATE submissions SET queued_at = ? WHERE id = ?")
      .run(new Date(Date.now() - 90_000).toISOString(), queued[0]);
    const done = createSubmission(t.db, {
      userId: s.user.id,
      exerciseId: "mock-drift",
      answer: {},
      status: "running",
      maxAttempts: 10,
    });
    recordResult(t.db, done, graded);
    const failed = createSubmission(t.db, {
      userId: (await makeUser(t.db)).user.id,
      exerciseId: "checkout-fallbacks",
      answer: { code: reference },
      status: "running",
      maxAttempts: 10,
    });
    recordResult(t.db, failed, infrastructureErrorResult(18, "host killed"));

    const ta = await makeUser(t.db, "ta");
    const agent = await signIn(t.app, ta.user.email, ta.password);
    const page = await agent.get("/staff/grading");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="stat-queued">3</);
    expect(page.text).toMatch(/id="stat-oldest">(9\d|1\d\d) s</);
    // The queue is built but not started in tests: no worker is alive.
    expect(page.text).toMatch(/id="stat-workers">0</);
    expect(page.text).toMatch(/id="stat-rate">1</);
    expect(page.text).toMatch(/id="stat-failures">1</);
    expect(page.text).toContain("embedded SQLite queue");
    expect((await agent.get("/staff")).text).toContain('href="/staff/grading"');
  });

  it("serves Prometheus metrics on their own port: depth, oldest age, workers and a grading-time histogram", async () => {
    const metrics = createGradingMetrics(t.db, () => t.queue);
    metrics.recorded(graded, 1500);
    metrics.recorded(infrastructureErrorResult(18, "host killed"), 200);
    metricsServer = await startMetricsServer(metrics.registry, { port: 0, host: "127.0.0.1" });
    const address = metricsServer.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^flagship_grading_queue_depth 3$/m);
    expect(text).toMatch(/^flagship_grading_oldest_job_age_seconds (9\d|1\d\d)(\.\d+)?$/m);
    expect(text).toMatch(/^flagship_grading_workers_alive 0$/m);
    expect(text).toMatch(/^flagship_grading_failures 1$/m);
    expect(text).toMatch(/^flagship_gradings_total\{status="graded"\} 1$/m);
    expect(text).toMatch(/^flagship_grading_duration_seconds_bucket\{le="2",status="graded"\} 1$/m);
    expect(text).toMatch(/^flagship_grading_duration_seconds_bucket\{le="1",status="graded"\} 0$/m);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });
});
