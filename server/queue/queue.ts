/**
 * The grading queue seen from the pages: submissions are rows in SQLite (status "queued"), so the
 * queue itself only needs to be told there is work and to say where a submission stands. Keeping it
 * this small lets a distributed backend (for example BullMQ on Redis) replace the local worker pool
 * without touching the pages or the grader.
 */
export interface GradingQueue {
  /** Wakes idle workers: a submission was just queued. */
  notify(): void;
  /** 1-based place in line of a queued submission; undefined once it is running or done. */
  position(submissionId: number): number | undefined;
  /**
   * Stops taking new jobs and waits for running ones to finish; with `graceMs`, at most that long,
   * handing the unfinished ones back to the queue.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}
