/**
 * The grading queue seen from the pages, implemented by the embedded SQLite pool (local-queue.ts)
 * and by BullMQ on Redis (redis/redis-queue.ts). Either way a submission is a row in SQLite (status
 * "queued") and SQLite is written by the web server alone: the queue needs to be told there is work,
 * to say where a submission stands, and to record results. The contract both keep is
 * test/server/queue/queue-contract.test.ts.
 */
export type QueueBackend = "sqlite" | "redis";

export interface GradingQueue {
  readonly backend: QueueBackend;
  /** Starts taking work (and, on Redis, results); call once. */
  start(): Promise<void>;
  /** A submission was just queued, replaced or re-queued: wake workers, hand jobs over. */
  notify(): void;
  /** 1-based place in line of a queued submission; undefined once it is being graded or done. */
  position(submissionId: number): Promise<number | undefined>;
  /** Grader workers alive now (the local pool's slots, or the workers connected to Redis). */
  workersAlive(): Promise<number>;
  /**
   * Stops taking new jobs and waits for running ones to finish; with `graceMs`, at most that long,
   * handing the unfinished ones back to the queue.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}
