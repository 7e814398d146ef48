/**
 * The SQL of handing submissions over to Redis. A queued row whose turn (queue_generation) has not
 * been handed over yet gets a job; the mark is written after the job is added, so a crash between
 * the two adds the same job id again, which BullMQ ignores. A replaced row whose job was handed over
 * has that job removed: its code must not wait in Redis either.
 */
import { z } from "zod";
import type { Db } from "../../db/database";
import { jsonColumn, queryRows, queryValue } from "../../db/query";

export interface PendingHandOver {
  id: number;
  exerciseId: string;
  answer: unknown;
  generation: number;
}

const pendingHandOver: z.ZodType<PendingHandOver> = z
  .object({ id: z.number(), exercise_id: z.string(), answer: jsonColumn, queue_generation: z.number() })
  .transform((r) => ({ id: r.id, exerciseId: r.exercise_id, answer: r.answer, generation: r.queue_generation }));

/** A submission and one of its turns (queue_generation). */
const turn = z.object({ id: z.number(), generation: z.number() });

export function pendingHandOvers(db: Db, limit: number): PendingHandOver[] {
  return queryRows(
    db,
    `SELECT id, exercise_id, answer, queue_generation FROM submissions
     WHERE status = 'queued' AND (dispatched_generation IS NULL OR dispatched_generation != queue_generation)
     ORDER BY id LIMIT ?`,
    [limit],
    pendingHandOver,
  );
}

export function markHandedOver(db: Db, id: number, generation: number): void {
  db.prepare("UPDATE submissions SET dispatched_generation = ? WHERE id = ? AND queue_generation = ?").run(
    generation,
    id,
    generation,
  );
}

/** Replaced rows whose job may still wait in Redis. */
export function replacedHandOvers(db: Db): Array<z.output<typeof turn>> {
  return queryRows(
    db,
    "SELECT id, dispatched_generation AS generation FROM submissions WHERE status = 'superseded' AND dispatched_generation IS NOT NULL",
    [],
    turn,
  );
}

/** Forgets a hand-over (of that turn only): the job is gone from Redis, and the next pass adds it again. */
export function clearHandOver(db: Db, id: number, generation?: number): void {
  if (generation === undefined) db.prepare("UPDATE submissions SET dispatched_generation = NULL WHERE id = ?").run(id);
  else
    db.prepare("UPDATE submissions SET dispatched_generation = NULL WHERE id = ? AND queue_generation = ?").run(
      id,
      generation,
    );
}

/** Queued rows already handed over, to check against Redis after a restart of either side. */
export function handedOverQueued(db: Db): Array<z.output<typeof turn>> {
  return queryRows(
    db,
    "SELECT id, queue_generation AS generation FROM submissions WHERE status = 'queued' AND dispatched_generation = queue_generation",
    [],
    turn,
  );
}

/** The turn a queued submission was handed over in, if it was. */
export function handedOverTurn(db: Db, id: number): number | undefined {
  return queryValue(
    db,
    "SELECT queue_generation FROM submissions WHERE id = ? AND status = 'queued' AND dispatched_generation = queue_generation",
    [id],
    z.number(),
  );
}

/**
 * Whether a result delivered from Redis is still awaited: only while the submission waits for that
 * very turn. The web server records a result only then, so one delivered again, for a replaced
 * submission, or for a turn a regrade has since replaced, changes nothing.
 */
export function isAwaitedResult(db: Db, id: number, generation: number): boolean {
  return (
    db
      .prepare("SELECT 1 FROM submissions WHERE id = ? AND status IN ('queued', 'running') AND queue_generation = ?")
      .pluck()
      .get(id, generation) !== undefined
  );
}
