/**
 * Connections to Redis, and the one setting the queue cannot live without: a Redis that may evict
 * keys under memory pressure could silently drop queued gradings or results, so both the web server
 * and the workers refuse to start unless maxmemory-policy is noeviction.
 */
import { Redis } from "ioredis";

export class RedisSettingsError extends Error {}

/** BullMQ's workers block on Redis, so commands must wait for a reconnect rather than fail. */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** Reads maxmemory_policy from INFO (CONFIG is often disabled on managed Redis) and refuses any other than noeviction. */
export async function assertNoEviction(client: Redis, url: string): Promise<void> {
  const info = await client.info("memory");
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== "noeviction") {
    throw new RedisSettingsError(
      `Redis at ${redactUrl(url)} has maxmemory-policy ${policy ?? "(unknown)"}; the grading queue needs noeviction, or Redis may drop queued gradings and results under memory pressure. Set "maxmemory-policy noeviction" (and "appendonly yes") in redis.conf, or run: redis-cli CONFIG SET maxmemory-policy noeviction`,
    );
  }
}

/** A URL fit for a log line or an error message: no password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}
