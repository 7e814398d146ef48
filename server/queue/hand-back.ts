/**
 * At shutdown, gradings still running after the grace period go back in line for the next process.
 * A shutdown is not the submission's doing, so the claim's run count is taken back too: only runs
 * that took the server down count towards giving up on a submission.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryValues } from "../db/query";

/** Re-queues every job this queue's workers (ids `<queueId>/<n>`) still hold; returns their ids. */
export function handBackUnfinished(db: Db, queueId: string): number[] {
  const prefix = `${queueId}/`;
  return queryValues(
    db,
    `UPDATE submissions SET status = 'queued', worker_id = NULL, attempts_run = max(attempts_run - 1, 0)
     WHERE status = 'running' AND substr(worker_id, 1, length(?)) = ?
     RETURNING id`,
    [prefix, prefix],
    z.number(),
  );
}
