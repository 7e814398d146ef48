/**
 * The settings of grading on Redis: a bad REDIS_URL is named, the web server grades nothing itself
 * by default when REDIS_URL is set, and a grader worker needs only REDIS_URL (no database, no
 * secrets) and says so when it is missing.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../../server/config";
import { loadWorkerConfig } from "../../../../server/queue/redis/worker-config";

describe("configuration for grading on Redis", () => {
  it("defaults to the embedded queue with workers, and to no in-process workers with REDIS_URL", () => {
    const embedded = loadConfig({ NODE_ENV: "test" });
    expect(embedded.REDIS_URL).toBeUndefined();
    expect(embedded.GRADER_WORKERS).toBeGreaterThan(0);
    expect(loadConfig({ NODE_ENV: "test", REDIS_URL: "redis://10.0.0.5:6379" })).toMatchObject({
      REDIS_URL: "redis://10.0.0.5:6379",
      GRADER_WORKERS: 0,
    });
    expect(
      loadConfig({ NODE_ENV: "test", REDIS_URL: "rediss://q.example.edu:6380", GRADER_WORKERS: "2" }).GRADER_WORKERS,
    ).toBe(2);
  });

  it("names what is wrong", () => {
    expect(() => loadConfig({ NODE_ENV: "test", REDIS_URL: "http://10.0.0.5" })).toThrow(
      /REDIS_URL: must be a Redis URL, like redis:\/\/127\.0\.0\.1:6379/,
    );
    expect(() => loadConfig({ NODE_ENV: "test", GRADER_WORKERS: "0" })).toThrow(
      /GRADER_WORKERS: must be at least 1 without REDIS_URL/,
    );
    expect(() => loadConfig({ NODE_ENV: "test", CODE_SUBMIT_LIMIT: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "test", GRADER_LOCK_MS: "10" })).toThrow(
      /GRADER_LOCK_MS: must be at least 1000/,
    );
  });

  it("a grader worker needs REDIS_URL and nothing of the web server's", () => {
    expect(() => loadWorkerConfig({})).toThrow(/REDIS_URL: is required/);
    const config = loadWorkerConfig({ REDIS_URL: "redis://10.0.0.5:6379", GRADER_CONCURRENCY: "3" });
    expect(config).toMatchObject({
      REDIS_URL: "redis://10.0.0.5:6379",
      GRADER_CONCURRENCY: 3,
      EXERCISES_DIR: "./exercises",
      SHUTDOWN_GRACE_MS: 5000,
    });
    expect(Object.keys(config)).not.toContain("SESSION_SECRET");
    expect(Object.keys(config)).not.toContain("DATA_DIR");
    expect(() => loadWorkerConfig({ REDIS_URL: "redis://x:1", SHUTDOWN_GRACE_MS: "9000" })).toThrow(
      /SHUTDOWN_GRACE_MS: must be at most 8000/,
    );
  });
});
