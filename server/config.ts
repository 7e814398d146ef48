/**
 * The one place configuration is read. Every variable is validated with zod at startup; a bad value
 * stops the server with a message naming the variable, instead of surfacing later as odd behaviour.
 */
import { availableParallelism } from "node:os";
import { z } from "zod";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  CONTENT_DIR: z.string().min(1).default("./content"),
  EXERCISES_DIR: z.string().min(1).default("./exercises"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest request body accepted, in bytes; bigger bodies get 413. */
  BODY_LIMIT_BYTES: positiveInt(256 * 1024),
  /**
   * The sign-in policy (server/auth/login-throttle.ts): failures allowed per account and address, and
   * per known browser, within the window; per address across all accounts; per account a day before
   * each further attempt waits twice as long, up to the maximum delay; and how long a browser that
   * signed in stays known.
   */
  LOGIN_MAX_FAILURES: positiveInt(10),
  LOGIN_WINDOW_MINUTES: positiveInt(15),
  LOGIN_ADDRESS_MAX_FAILURES: positiveInt(100),
  LOGIN_ACCOUNT_FREE_FAILURES: positiveInt(20),
  LOGIN_ACCOUNT_FIRST_DELAY_SECONDS: positiveInt(1),
  LOGIN_ACCOUNT_MAX_DELAY_MINUTES: positiveInt(15),
  LOGIN_KNOWN_DEVICE_DAYS: positiveInt(90),
  SESSION_MAX_AGE_HOURS: positiveInt(24 * 7),
  /** A stored session without a signed-in user (rare: sessions are saved only at sign-in) is dropped after this. */
  ANONYMOUS_SESSION_MINUTES: positiveInt(10),
  /**
   * Slow clients: the whole request head must arrive within HTTP_HEADERS_TIMEOUT_MS and the whole
   * request (head and body) within HTTP_REQUEST_TIMEOUT_MS, else 408 and the connection is closed; an
   * idle kept-alive connection closes after HTTP_KEEP_ALIVE_TIMEOUT_MS. Node's own defaults (60 s,
   * 300 s) let a few hundred slow connections hold the server for minutes.
   */
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt(5_000),
  /** Open connections at once; more are closed on arrival. Sized for a course (hundreds of students). */
  HTTP_MAX_CONNECTIONS: positiveInt(512),
  /**
   * On SIGTERM, how long in-flight requests and running gradings get before the requests are cut off
   * and the gradings handed back to the queue. At most 8 s: the process must be gone within 10.
   */
  SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(8_000, "must be at most 8000: the process must exit within 10 s")
    .default(3_000),
  /**
   * Concurrent gradings in this process; each runs student code in its own sandboxed child. Default:
   * one per core, or none when REDIS_URL is set (grader machines run `flagship worker`).
   */
  GRADER_WORKERS: z.coerce.number().int().min(0).optional(),
  /**
   * Grade on BullMQ through this Redis (redis:// or rediss://) instead of the embedded SQLite queue.
   * The Redis must not evict keys (maxmemory-policy noeviction); the server refuses to start otherwise.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, "must be a Redis URL, like redis://127.0.0.1:6379")
    .optional(),
  /** How long a grader worker's hold on a job lasts unrenewed before another worker takes it over (Redis). */
  GRADER_LOCK_MS: z.coerce.number().int().min(1_000, "must be at least 1000").default(30_000),
  /** Code submissions one student may send per window; more get 429 with Retry-After. */
  CODE_SUBMIT_LIMIT: positiveInt(20),
  CODE_SUBMIT_WINDOW_SECONDS: positiveInt(60),
  /** Prometheus metrics on their own port (unset: off), on METRICS_HOST (loopback unless told). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * LTI grade passback (server/lti/outbox.ts): how often changed scores are looked for and due sends
   * made, and the backoff while an LMS is down (doubling from the base up to the maximum).
   */
  LTI_OUTBOX_INTERVAL_MS: positiveInt(5_000),
  LTI_RETRY_BASE_MS: positiveInt(30_000),
  LTI_RETRY_MAX_MS: positiveInt(60 * 60_000),
  /** Express "trust proxy": set to the number of proxies in front of the app when behind TLS termination. */
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  /**
   * Hosts Markdown images may load from over https, comma-separated (for example
   * "images.example.edu,cdn.example.org"). Empty: only the site's own /static/ files.
   */
  MARKDOWN_IMAGE_HOSTS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h !== ""),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
            "must be hostnames separated by commas, like images.example.edu",
          ),
      ),
    ),
});

export type Config = Omit<z.infer<typeof envSchema>, "GRADER_WORKERS"> & { GRADER_WORKERS: number };

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const config: Config = {
    ...parsed.data,
    GRADER_WORKERS: parsed.data.GRADER_WORKERS ?? (parsed.data.REDIS_URL ? 0 : availableParallelism()),
  };
  if (config.GRADER_WORKERS === 0 && !config.REDIS_URL) {
    throw new ConfigError(
      "Invalid configuration:\n  GRADER_WORKERS: must be at least 1 without REDIS_URL (nothing else would grade code)",
    );
  }
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      "Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS (the head is part of the request)",
    );
  }
  if (config.NODE_ENV === "production" && !config.SESSION_SECRET) {
    throw new ConfigError(
      "Invalid configuration:\n  SESSION_SECRET: required in production (at least 32 random characters)",
    );
  }
  return config;
}
