/**
 * `npm start`: read config, open and migrate the database, load the course, seed a demo course on
 * first start, serve, and shut down gracefully on SIGTERM/SIGINT.
 */
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logger";
import { databaseFile, openDatabase } from "./db/database";
import { loadCourse } from "./course";
import { createApp } from "./app";
import { watchExercises } from "./exercise-watcher";
import { sessionSecret } from "./secrets";
import { formatDemoAccounts, seedDemoCourseIfEmpty } from "./seed";
import { httpLimitsFrom, startHttpServer } from "./http/server";
import { LocalGradingQueue } from "./queue/local-queue";
import { gradeJobFor } from "./queue/grade-job";
import type { GradingQueue } from "./queue/queue";
import { RedisGradingQueue } from "./queue/redis/redis-queue";
import { RedisSettingsError, redactUrl } from "./queue/redis/connection";
import { createGradingMetrics } from "./metrics/metrics";
import { startMetricsServer } from "./metrics/metrics-server";
import { detectSandboxMode } from "../grader/sandbox/modes";
import { sandboxBanner } from "./sandbox-banner";
import { LtiOutboxSender } from "./lti/outbox-sender";
import { rosterSyncOnInstructorLaunch } from "./lti/roster-hooks";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const db = openDatabase(databaseFile(config));
  const course = await loadCourse({
    contentDir: config.CONTENT_DIR,
    exercisesDir: config.EXERCISES_DIR,
    markdown: { imageHosts: config.MARKDOWN_IMAGE_HOSTS },
  });
  for (const problem of course.problems) logger.error({ problem }, "course file skipped");
  logger.info({ modules: course.modules.length, exercises: course.exercises.length }, "course loaded");

  // REDIS_URL: grade on BullMQ (grader machines run `flagship worker`); otherwise the embedded pool.
  // The metrics read the queue, and the queue reports each recorded grading to the metrics.
  const built: { queue?: GradingQueue } = {};
  const metrics = createGradingMetrics(db, () => built.queue);
  const onRecorded = metrics.recorded;
  const queue: GradingQueue = config.REDIS_URL
    ? new RedisGradingQueue(db, course, {
        url: config.REDIS_URL,
        logger,
        graderWorkers: config.GRADER_WORKERS,
        lockMs: config.GRADER_LOCK_MS,
        onRecorded,
      })
    : new LocalGradingQueue(db, gradeJobFor(course), { workers: config.GRADER_WORKERS, logger, onRecorded });
  built.queue = queue;
  try {
    await queue.start();
  } catch (err) {
    if (err instanceof RedisSettingsError) {
      process.stderr.write(`${err.message}\n`);
      await queue.stop({ graceMs: 0 }).catch(() => undefined);
      process.exit(1);
    }
    throw err;
  }
  if (config.REDIS_URL)
    logger.info({ redis: redactUrl(config.REDIS_URL), graderWorkers: config.GRADER_WORKERS }, "grading on Redis");
  const metricsServer =
    config.METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer(metrics.registry, { port: config.METRICS_PORT, host: config.METRICS_HOST });
  if (metricsServer)
    logger.info({ port: config.METRICS_PORT, host: config.METRICS_HOST }, "Prometheus metrics at /metrics");
  // Scores go back to LMSs from here, on a timer of its own; nothing is lost if the process stops.
  const ltiOutbox = new LtiOutboxSender(db, course, {
    intervalMs: config.LTI_OUTBOX_INTERVAL_MS,
    retry: { baseMs: config.LTI_RETRY_BASE_MS, maxMs: config.LTI_RETRY_MAX_MS },
    logger,
  });
  ltiOutbox.start();
  const ltiHooks = rosterSyncOnInstructorLaunch(db, logger);
  const app = createApp({ config, db, logger, course, queue, ltiHooks }, { sessionSecret: sessionSecret(config) });
  // In development, saving an exercise file reloads the course; elsewhere the Reload button does.
  if (config.NODE_ENV === "development") watchExercises(course, logger);
  const server = await startHttpServer(app, {
    port: config.PORT,
    host: config.HOST,
    logger,
    limits: httpLimitsFrom(config),
    graceMs: config.SHUTDOWN_GRACE_MS,
    // Take no new grading; give running ones the grace period, then hand them back to the queue.
    stopWork: () =>
      Promise.all([queue.stop({ graceMs: config.SHUTDOWN_GRACE_MS }), ltiOutbox.stop(), ltiHooks.idle()]).then(
        () => undefined,
      ),
    onClose: () => {
      metricsServer?.close();
      db.close();
    },
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;

  const demo = await seedDemoCourseIfEmpty(db);
  // Printed to the console only, once; the logger never sees the passwords.
  if (demo.length > 0) process.stdout.write(formatDemoAccounts(demo, url) + "\n");
  const sandbox = detectSandboxMode();
  process.stdout.write(`${sandboxBanner(sandbox)}\n`);
  logger.info({ url, sandbox: "mode" in sandbox ? sandbox.mode : "none" }, "Flagship is listening");
}

main().catch((err: unknown) => {
  process.stderr.write(`Flagship failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
