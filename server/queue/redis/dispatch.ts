/**
 * The SQL of handing submissions over to Redis. A queued row whose turn (queue_generation) has not
 * been handed over yet gets a job; the mark is written after the job is added, so a crash between
 * the two adds the same job id again, which BullMQ ignores. A replaced row whose job was handed over
 * has that job removed: its code must not wait in Redis either.
 */
import type { Db } from "../../db/database";

export interface PendingHandOver {
  id: number;
  exerciseId: string;
  answer: unknown;
  generation: number;
}

export function pendingHandOvers(db: Db, limit: number): PendingHandOver[] {
  const rows = db
    .prepare(
      `SELECT id, exercise_id, answer, queue_generation FROM submissions
       WHERE status = 'queued' AND (dispatched_generation IS NULL OR dispatched_generation != queue_generation)
       ORDER BY id LIMIT ?`,
    )
    .all(limit) as Array<{ id: number; exercise_id: string; answer: string; queue_generation: number }>;
  return rows.map((r) => ({
    id: r.id,
    exerciseId: r.exercise_id,
    answer: JSON.parse(r.answer) as unknown,
    generation: r.queue_generation,
  }));
}

export function markHandedOver(db: Db, id: number, generation: number): void {
  db.prepare("UPDATE submissions SET dispatched_generation = ? WHERE id = ? AND queue_generation = ?").run(
    generation,
    id,
    generation,
  );
}

/** Replaced rows whose job may still wait in Redis. */
export function replacedHandOvers(db: Db): Array<{ id: number; generation: number }> {
  return db
    .prepare(
      "SELECT id, dispatched_generation AS generation FROM submissions WHERE status = 'superseded' AND dispatched_generation IS NOT NULL",
    )
    .all() as Array<{ id: number; generation: number }>;
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
export function handedOverQueued(db: Db): Array<{ id: number; generation: number }> {
  return db
    .prepare(
      "SELECT id, queue_generation AS generation FROM submissions WHERE status = 'queued' AND dispatched_generation = queue_generation",
    )
    .all() as Array<{ id: number; generation: number }>;
}

/** The turn a queued submission was handed over in, if it was. */
export function handedOverTurn(db: Db, id: number): number | undefined {
  return db
    .prepare(
      "SELECT queue_generation FROM submissions WHERE id = ? AND status = 'queued' AND dispatched_generation = queue_generation",
    )
    .pluck()
    .get(id) as number | undefined;
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
