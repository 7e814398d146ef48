/**
 * The test Redis (test/helpers/redis-server.ts): its own port and folder, the production settings,
 * data that survives a restart through the append-only file, and nothing left running after stop.
 */
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { startRedis } from "./redis-server";

function redisProcessesOn(port: number): number {
  const out = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.startsWith("redis-server") && line.includes(`:${port}`)).length;
}

describe("the test Redis", () => {
  it("runs with appendonly and noeviction, keeps data over a restart and a crash, and is gone after stop", async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    // Refused connections while it restarts are expected; the commands wait for it.
    client.on("error", () => undefined);
    try {
      expect(await client.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
      expect(await client.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
      await client.set("kept", "over a restart");
      await redis.restart();
      expect(await client.get("kept")).toBe("over a restart");
      await client.set("also", "over a crash");
      await redis.crashAndRestart();
      expect(await client.get("also")).toBe("over a crash");
      expect(redisProcessesOn(redis.port)).toBe(1);
    } finally {
      client.disconnect();
      await redis.stop();
    }
    expect(redisProcessesOn(redis.port)).toBe(0);
    expect(existsSync(redis.dir)).toBe(false);
  }, 300_000);
});
