/**
 * `flagship worker`: a grader machine. Takes gradings from the Redis the web server queues them on
 * (REDIS_URL), grades GRADER_CONCURRENCY at a time with the exercises in EXERCISES_DIR, and sends the
 * results back through Redis. Runs until SIGTERM or SIGINT, then finishes or hands back its gradings
 * within SHUTDOWN_GRACE_MS.
 */
import type { CliCommand } from "../command";
import { ConfigError } from "../../server/config";
import { createLogger } from "../../server/logger";
import { loadWorkerConfig } from "../../server/queue/redis/worker-config";
import { RedisGraderWorker } from "../../server/queue/redis/grader-worker";
import { RedisSettingsError, redactUrl } from "../../server/queue/redis/connection";
import { detectSandboxMode } from "../../grader/sandbox/modes";
import { sandboxBanner } from "../../server/sandbox-banner";

export const worker: CliCommand = {
  summary: "Grade code submissions from Redis (a grader machine)",
  help: [
    "Usage: flagship worker",
    "",
    "Grades submissions the web server queued on Redis. Settings come from the environment:",
    "  REDIS_URL            the web server's Redis (required), e.g. redis://10.0.0.5:6379",
    "  GRADER_CONCURRENCY   gradings at once (default: one per core)",
    "  EXERCISES_DIR        the same exercises as the web server's (default ./exercises)",
    "  GRADER_LOCK_MS       a dead worker's gradings are taken over after about this long (default 30000)",
    "  SHUTDOWN_GRACE_MS    on SIGTERM, running gradings get this long, then go back in line (default 5000, at most 8000)",
    "Needs no database and no web secrets.",
  ].join("\n"),
  async run(args) {
    if (args.length > 0) {
      process.stderr.write(
        `flagship worker takes no arguments (got ${args.join(" ")}); it reads its settings from the environment.\n\n${this.help}\n`,
      );
      return 2;
    }
    let config;
    try {
      config = loadWorkerConfig();
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
        return 1;
      }
      throw err;
    }
    const logger = createLogger(config.LOG_LEVEL);
    process.stdout.write(`${sandboxBanner(detectSandboxMode())}\n`);
    const grader = new RedisGraderWorker({
      url: config.REDIS_URL,
      concurrency: config.GRADER_CONCURRENCY,
      exercisesDir: config.EXERCISES_DIR,
      logger,
      lockMs: config.GRADER_LOCK_MS,
    });
    try {
      await grader.start();
    } catch (err) {
      await grader.stop({ graceMs: 0 });
      if (err instanceof RedisSettingsError) {
        process.stderr.write(`${err.message}\n`);
        return 1;
      }
      throw err;
    }
    logger.info(
      { redis: redactUrl(config.REDIS_URL), concurrency: config.GRADER_CONCURRENCY, worker: grader.name },
      "grader worker ready",
    );
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGTERM", () => resolve("SIGTERM"));
      process.once("SIGINT", () => resolve("SIGINT"));
    });
    logger.info({ signal }, "stopping: finishing or handing back running gradings");
    await grader.stop({ graceMs: config.SHUTDOWN_GRACE_MS });
    // Engine hosts of a grading handed back die with this process (bubblewrap's --die-with-parent).
    process.exit(0);
  },
};
