/**
 * What `flagship worker` reads: only what grading needs. No DATA_DIR, no SESSION_SECRET: a grader
 * machine holds no database and no web secrets. Validated with zod like the server's settings.
 */
import { availableParallelism } from "node:os";
import { z } from "zod";
import { ConfigError } from "../../config";

const workerEnvSchema = z.object({
  REDIS_URL: z
    .string({ error: "is required: the Redis the web server queues gradings on, like redis://10.0.0.5:6379" })
    .regex(/^rediss?:\/\/\S+$/, "must be a Redis URL, like redis://127.0.0.1:6379"),
  /** Gradings at once on this machine; each runs student code in a sandboxed child. */
  GRADER_CONCURRENCY: z.coerce.number().int().positive().default(availableParallelism()),
  EXERCISES_DIR: z.string().min(1).default("./exercises"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  GRADER_LOCK_MS: z.coerce.number().int().min(1_000, "must be at least 1000").default(30_000),
  /** On SIGTERM, how long running gradings get before they are handed back; the process is gone within 10 s. */
  SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(8_000, "must be at most 8000: the process must exit within 10 s")
    .default(5_000),
});

export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid configuration:\n  ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n  ")}`,
    );
  }
  return parsed.data;
}
