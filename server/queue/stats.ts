/**
 * What the staff page and the metrics show about grading, read from SQLite (the record on either
 * backend: a submission is queued there until its result is recorded) plus the workers the backend
 * sees alive.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow, queryValue } from "../db/query";
import type { GradingQueue } from "./queue";

export interface QueueStats {
  backend: GradingQueue["backend"];
  /** Submissions waiting for a grading (queued) and being graded (running; the SQLite backend only). */
  queued: number;
  running: number;
  /** Seconds the longest-waiting queued submission has waited; 0 when none waits. */
  oldestAgeSeconds: number;
  workersAlive: number;
  /** Verdicts recorded in the last minute. */
  gradedLastMinute: number;
  /** Gradings the machinery could not finish, waiting for their retry or for staff. */
  failures: number;
}

export async function queueStats(db: Db, queue: GradingQueue | undefined, now = Date.now()): Promise<QueueStats> {
  // An aggregate without GROUP BY always returns its one row.
  const counts = queryRow(
    db,
    `SELECT sum(status = 'queued') AS queued, sum(status = 'running') AS running,
            min(CASE WHEN status = 'queued' THEN coalesce(queued_at, created_at) END) AS oldest
     FROM submissions WHERE status IN ('queued', 'running')`,
    [],
    z.object({ queued: z.number().nullable(), running: z.number().nullable(), oldest: z.string().nullable() }),
  );
  const gradedLastMinute =
    queryValue(
      db,
      "SELECT count(*) FROM submissions WHERE graded_at >= ?",
      [new Date(now - 60_000).toISOString()],
      z.number(),
    ) ?? 0;
  const failures =
    queryValue(
      db,
      "SELECT count(*) FROM submissions WHERE status = 'infrastructure_error' OR (infra_error IS NOT NULL AND status != 'superseded')",
      [],
      z.number(),
    ) ?? 0;
  const oldest = counts?.oldest ?? null;
  return {
    backend: queue?.backend ?? "sqlite",
    queued: counts?.queued ?? 0,
    running: counts?.running ?? 0,
    oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (now - Date.parse(oldest)) / 1000),
    workersAlive: queue ? await queue.workersAlive() : 0,
    gradedLastMinute,
    failures,
  };
}
