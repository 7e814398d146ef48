/**
 * Requests per second for a signed-in student's lecture module page against `/healthz`, measured in
 * the same run on the real app over real HTTP (keep-alive, a few requests in flight), so the ratio
 * says what rendering a page costs whatever the machine's speed today. Target: a module page at least
 * half as fast as `/healthz`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../server/config";
import { openDatabase } from "../server/db/database";
import { createLogger } from "../server/logger";
import { loadCourse } from "../server/course";
import { createApp } from "../server/app";
import { createUser } from "../server/users/users";
import { LocalGradingQueue } from "../server/queue/local-queue";
import { gradeJobFor } from "../server/queue/grade-job";

const SECONDS = 3;
const IN_FLIGHT = 8;

async function requestsPerSecond(url: string, cookie: string): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const response = await fetch(url, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      await response.arrayBuffer();
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return done / ((performance.now() - start) / 1000);
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const jar = (form.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: jar, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
  });
  if (login.status !== 302) throw new Error(`signing in answered ${login.status}`);
  return (login.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ") || jar;
}

export async function benchPages(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "flagship-bench-pages-"));
  // As `npm start` runs it: the development defaults, with logging at the default level.
  const config = loadConfig({ DATA_DIR: dataDir });
  const db = openDatabase(join(dataDir, "flagship.db"));
  const course = await loadCourse({
    contentDir: config.CONTENT_DIR,
    exercisesDir: config.EXERCISES_DIR,
    markdown: { imageHosts: config.MARKDOWN_IMAGE_HOSTS },
  });
  const logger = createLogger("warn");
  const queue = new LocalGradingQueue(db, gradeJobFor(course), { workers: 0, logger });
  const app = createApp(
    { config, db, logger, course, queue },
    { sessionSecret: "bench-secret-that-is-at-least-32-characters-long" },
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { user, password } = await createUser(db, { email: "bench@example.edu", name: "Bench", role: "student" });
    const cookie = await signIn(base, user.email, password);
    const module = course.modules[0];
    if (!module) throw new Error("the course has no module");
    const health = await requestsPerSecond(`${base}/healthz`, cookie);
    const page = await requestsPerSecond(`${base}/modules/${module.id}`, cookie);
    console.log(`/healthz                                               ${health.toFixed(0).padStart(6)} requests/s`);
    console.log(
      `/modules/${module.id.padEnd(44)} ${page.toFixed(0).padStart(6)} requests/s  (${(page / health).toFixed(2)} of /healthz; target 0.5)`,
    );
  } finally {
    server.closeAllConnections();
    server.close();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
