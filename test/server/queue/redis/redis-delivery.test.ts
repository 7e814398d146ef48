/**
 * Delivery on the Redis backend, with real processes: the built web server (REDIS_URL, grading
 * nothing itself), `flagship worker` processes and a redis-server of the test's own. A worker killed
 * mid-grading, a Redis crash and a web server that is down while results arrive: every submission is
 * graded, and recorded exactly once.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import request from "supertest";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import { openDatabase } from "../../../../server/db/database";
import { createUser } from "../../../../server/users/users";
import { csrfFrom } from "../../../helpers/app";
import { startServerProcess, type ServerProcess } from "../../../helpers/server-process";
import { killWorker, startWorkerProcess, type WorkerProcess } from "../../../helpers/worker-process";
import { startRedis, type TestRedis } from "../../../helpers/redis-server";

const code = readFileSync("exercises/checkout-fallbacks/solution-retry-reads.ts", "utf8");
const STUDENTS = 6;
/** Short, so a dead worker's grading is taken over within seconds; the test does not depend on it. */
const LOCK_MS = "5000";

interface Row {
  id: number;
  status: string;
  score: number | null;
  max_score: number | null;
}

function rows(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT id, status, score, max_score FROM submissions ORDER BY id").all() as Row[];
  } finally {
    db.close();
  }
}

/** Polls for up to five minutes: the machine is loaded, and nothing here is a timing claim. */
async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = Date.now() + 300_000;
  while (Date.now() < end) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The web server's log lines that recorded a result for this submission. */
function recordedTimes(output: string, id: number): number {
  return output.split("\n").filter((line) => line.includes(`"submissionId":${id},`) && line.includes('"recorded":true'))
    .length;
}

let redis: TestRedis | undefined;
let servers: ServerProcess[] = [];
let workers: WorkerProcess[] = [];
let dataDir: string | undefined;
let client: Redis | undefined;

afterEach(async () => {
  for (const w of workers) await killWorker(w);
  for (const s of servers) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill("SIGKILL");
      await s.exited;
    }
  }
  client?.disconnect();
  await redis?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  [redis, servers, workers, dataDir, client] = [undefined, [], [], undefined, undefined];
});

async function setUp(): Promise<{
  file: string;
  accounts: Array<{ email: string; password: string }>;
  redis: TestRedis;
  client: Redis;
}> {
  dataDir = mkdtempSync(join(tmpdir(), "flagship-redis-delivery-"));
  const file = join(dataDir, "flagship.db");
  const db = openDatabase(file);
  const accounts = [];
  for (let i = 0; i < STUDENTS; i++) {
    const { user, password } = await createUser(db, { email: `r${i}@example.edu`, name: `R ${i}`, role: "student" });
    accounts.push({ email: user.email, password });
  }
  db.close();
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  client.on("error", () => undefined);
  return { file, accounts, redis, client };
}

async function server(redisUrl: string): Promise<ServerProcess> {
  const s = await startServerProcess({ DATA_DIR: dataDir ?? "", REDIS_URL: redisUrl, GRADER_WORKERS: "0" });
  servers.push(s);
  return s;
}

async function worker(redisUrl: string): Promise<WorkerProcess> {
  const w = await startWorkerProcess({ REDIS_URL: redisUrl, GRADER_LOCK_MS: LOCK_MS });
  workers.push(w);
  return w;
}

async function submitAll(
  url: string,
  accounts: Array<{ email: string; password: string }>,
  source = code,
): Promise<number[]> {
  const ids: number[] = [];
  for (const { email, password } of accounts) {
    const agent = request.agent(url);
    const token = csrfFrom((await agent.get("/login")).text);
    await agent.post("/login").type("form").send({ email, password, _csrf: token }).expect(302);
    const csrf = (await agent.get("/api/session")).body.csrfToken as string;
    const res = await agent
      .post("/api/exercises/checkout-fallbacks/submissions")
      .set("X-CSRF-Token", csrf)
      .send({ answer: { code: source } });
    expect(res.status).toBe(201);
    ids.push(res.body.id as number);
  }
  return ids;
}

/** Nothing left to deliver: no grading waiting or held, no result waiting or being recorded. */
async function drained(client: Redis): Promise<boolean> {
  const sizes = await Promise.all([
    client.llen("bull:flagship-grading:wait"),
    client.zcard("bull:flagship-grading:prioritized"),
    client.llen("bull:flagship-grading:active"),
    client.llen("bull:flagship-results:wait"),
    client.llen("bull:flagship-results:active"),
  ]);
  return sizes.every((n) => n === 0);
}

/**
 * Every row graded with full marks, and the web server recorded each exactly once. The log line
 * follows the commit, so wait for every line and for Redis to have nothing more to deliver first.
 */
async function expectAllGradedOnce(
  file: string,
  client: Redis,
  output: () => string,
  ids: number[],
  fullMarks = true,
): Promise<void> {
  await until("every recording logged and nothing left to deliver", async () =>
    ids.every((id) => recordedTimes(output(), id) >= 1) && (await drained(client)) ? true : undefined,
  );
  const all = rows(file);
  expect(all.map((r) => r.id)).toEqual(ids);
  for (const row of all) {
    expect(row, `submission ${row.id}`).toMatchObject({ status: "graded" });
    if (fullMarks) expect(row.score).toBe(row.max_score);
    expect(recordedTimes(output(), row.id), `times submission ${row.id} was recorded`).toBe(1);
  }
}

const allGraded = (file: string) => (rows(file).every((r) => r.status === "graded") ? true : undefined);

describe("grading on Redis", () => {
  it("recovers a grading whose worker was killed with SIGKILL, and records it once", async () => {
    const { file, accounts, redis, client } = await setUp();
    const web = await server(redis.url);
    const first = await worker(redis.url);
    const ids = await submitAll(web.url, accounts);
    await until("the worker to hold a grading", async () =>
      (await client.llen("bull:flagship-grading:active")) > 0 ? true : undefined,
    );
    first.child.kill("SIGKILL");
    await first.exited;
    // The dead worker's job is still held, by nobody: only the stalled-job check can free it.
    const unfinished = rows(file).filter((r) => r.status !== "graded").length;
    expect(unfinished).toBeGreaterThan(0);
    await worker(redis.url);
    await until("every submission graded", () => allGraded(file));
    await expectAllGradedOnce(file, client, web.output, ids);
    expect(await client.zcard("bull:flagship-grading:failed")).toBe(0);
  }, 900_000);

  it("loses nothing when Redis crashes and restarts from its append-only file", async () => {
    const { file, accounts, redis, client } = await setUp();
    const web = await server(redis.url);
    await worker(redis.url);
    const ids = await submitAll(web.url, accounts);
    await until("one grading recorded", () => (rows(file).some((r) => r.status === "graded") ? true : undefined));
    await redis.crashAndRestart();
    await until("every submission graded", () => allGraded(file));
    await expectAllGradedOnce(file, client, web.output, ids);
  }, 900_000);

  it("records results that arrived while the web server was down once it is back", async () => {
    const { file, accounts, redis, client } = await setUp();
    const web = await server(redis.url);
    const ids = await submitAll(web.url, accounts);
    // Every submission handed over to Redis, then the web server goes down hard.
    await until("all handed over", async () =>
      (await client.zcard("bull:flagship-grading:prioritized")) === STUDENTS ? true : undefined,
    );
    web.child.kill("SIGKILL");
    await web.exited;
    await worker(redis.url);
    await until("every result waiting in Redis", async () =>
      (await client.llen("bull:flagship-results:wait")) === STUDENTS ? true : undefined,
    );
    expect(rows(file).every((r) => r.status === "queued")).toBe(true);
    const back = await server(redis.url);
    await until("every submission graded", () => allGraded(file));
    await expectAllGradedOnce(file, client, () => web.output() + back.output(), ids);
  }, 900_000);

  it("grades in the web server itself only when GRADER_WORKERS is above 0", async () => {
    const { file, accounts, redis, client } = await setUp();
    const web = await startServerProcess({
      DATA_DIR: dataDir ?? "",
      REDIS_URL: redis.url,
      GRADER_WORKERS: "1",
      GRADER_LOCK_MS: LOCK_MS,
    });
    servers.push(web);
    const ids = await submitAll(web.url, accounts.slice(0, 2));
    await until("graded by the server's own worker", () => allGraded(file));
    await expectAllGradedOnce(file, client, web.output, ids);
  }, 900_000);

  it("refuses to start against a Redis that may evict keys, on the web server and on a worker", async () => {
    const { redis: evicting } = await setUp();
    // Set after start, as an operator's CONFIG SET would.
    const admin = new Redis(evicting.url, { maxRetriesPerRequest: null });
    await admin.config("SET", "maxmemory-policy", "allkeys-lru");
    admin.disconnect();
    await expect(
      startServerProcess({ DATA_DIR: dataDir ?? "", REDIS_URL: evicting.url, GRADER_WORKERS: "0" }),
    ).rejects.toThrow(/maxmemory-policy allkeys-lru.*noeviction/s);
    const w = await startWorkerProcess({ REDIS_URL: evicting.url }, { expectExit: true });
    workers.push(w);
    expect(await w.exited).toBe(1);
    expect(w.output()).toMatch(/maxmemory-policy allkeys-lru; the grading queue needs noeviction/);
  }, 600_000);
});

describe("a grader worker told to stop", () => {
  // Code that spins until its work budget stops it (the 48.6 s before budgets were counted in
  // work); the grace is 0, since any grace at all could let the grading finish first.
  const spinning = `
import { type CheckoutRequest, type CheckoutResponse, type Deps } from "flagship:checkout";
export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
  await deps.users.getUser(req.userId);
  while (true) {}
}
`;

  it("hands its running grading back on SIGTERM and exits, and another worker grades it once", async () => {
    const { file, accounts, redis, client } = await setUp();
    const web = await server(redis.url);
    // A lock far longer than the test: only a hand-back, never the stalled-job check, can free the job.
    const first = await startWorkerProcess({ REDIS_URL: redis.url, GRADER_LOCK_MS: "3600000", SHUTDOWN_GRACE_MS: "0" });
    workers.push(first);
    const ids = await submitAll(web.url, accounts.slice(0, 1), spinning);
    await until("the worker to hold a grading", async () =>
      (await client.llen("bull:flagship-grading:active")) > 0 ? true : undefined,
    );
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("handed an unfinished grading back to the queue");
    expect(await client.llen("bull:flagship-grading:active")).toBe(0);
    await startWorkerProcess({ REDIS_URL: redis.url, GRADER_LOCK_MS: "3600000" }).then((w) => workers.push(w));
    await until("graded", () =>
      ids.every((id) => rows(file).find((r) => r.id === id)?.status === "graded") ? true : undefined,
    );
    await expectAllGradedOnce(file, client, web.output, ids, false);
  }, 900_000);
});
