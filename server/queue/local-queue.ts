/**
 * The embedded grading queue: a pool of async workers in the server process pulling jobs from the
 * submissions table. Student code never runs here; each grading starts its own sandboxed child, so a
 * worker is just a slot that awaits one. Durable by construction: a job is a row, so a crash loses
 * nothing, and restart puts abandoned jobs back in line.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../db/database";
import type { Logger } from "../logger";
import { infrastructureErrorResult, type GradingResult } from "../../grader/result";
import { recordResult } from "../submissions/submissions";
import type { GradingQueue } from "./queue";
import { claimNextJob, queuePosition, requeueAbandoned, requeueDueRetries, type Job } from "./jobs";
import { handBackUnfinished } from "./hand-back";

/** A job that took the server down this many times is not tried again. */
const MAX_RUNS = 3;
/** Idle workers also poll, in case another process queued work on the same database. */
const IDLE_POLL_MS = 1000;

export type GradeJob = (job: Job) => Promise<GradingResult>;

export class LocalGradingQueue implements GradingQueue {
  readonly backend = "sqlite";
  private readonly id = randomUUID();
  private stopping = false;
  private wakeups: Array<() => void> = [];
  private workers: Promise<void>[] = [];
  /** Jobs handed back at shutdown: a result that still arrives for one is not recorded. */
  private readonly handedBack = new Set<number>();

  constructor(
    private readonly db: Db,
    private readonly grade: GradeJob,
    private readonly options: {
      workers: number;
      logger: Logger;
      /** The clock retries are planned by (epoch ms); tests move it instead of waiting minutes. */
      now?: () => number;
      /** Backoff after an infrastructure error, one entry per automatic retry. */
      retryDelaysMs?: readonly number[];
      /** Called for every result recorded, for the metrics. */
      onRecorded?: (result: GradingResult, ms: number) => void;
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async start(): Promise<void> {
    const requeued = requeueAbandoned(this.db);
    if (requeued > 0)
      this.options.logger.warn({ requeued }, "re-queued submissions left running by a previous process");
    for (let i = 0; i < this.options.workers; i++) this.workers.push(this.work(`${this.id}/${i}`));
  }

  notify(): void {
    const waiting = this.wakeups;
    this.wakeups = [];
    for (const wake of waiting) wake();
  }

  async position(submissionId: number): Promise<number | undefined> {
    return queuePosition(this.db, submissionId, this.now());
  }

  async workersAlive(): Promise<number> {
    return this.stopping ? 0 : this.workers.length;
  }

  /**
   * Takes no new job, then waits for the running ones: for ever without `graceMs`; with it, that
   * long, and whatever is still running (a submission spinning until its budget runs out, say) is
   * handed back to the queue, so the process can exit at once without losing it.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.stopping = true;
    this.notify();
    const finished = Promise.all(this.workers).then(() => true);
    if (options.graceMs === undefined) {
      await finished;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), options.graceMs)));
    const inTime = await Promise.race([finished, graceOver]);
    clearTimeout(timer);
    if (inTime) return;
    const ids = handBackUnfinished(this.db, this.id);
    for (const id of ids) this.handedBack.add(id);
    if (ids.length > 0)
      this.options.logger.warn({ submissionIds: ids }, "handed unfinished gradings back to the queue");
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, IDLE_POLL_MS);
      this.wakeups.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async work(workerId: string): Promise<void> {
    while (!this.stopping) {
      const due = requeueDueRetries(this.db, this.now());
      if (due > 0) this.options.logger.info({ due }, "retrying gradings the machinery could not finish");
      const job = claimNextJob(this.db, workerId, this.now());
      if (!job) {
        await this.idle();
        continue;
      }
      const started = Date.now();
      let result: GradingResult;
      // Neither a server that went down mid-grading nor a grader that threw is provably the
      // student's code's doing: both are infrastructure errors, retried later and never scored.
      if (job.attemptsRun > MAX_RUNS) {
        result = infrastructureErrorResult(
          0,
          `Grading stopped the server ${MAX_RUNS} times in a row, so it was put aside to be tried again later.`,
        );
      } else {
        try {
          result = await this.grade(job);
        } catch (err) {
          // Graders return results rather than throw; this is a last line of defence.
          result = infrastructureErrorResult(
            0,
            `The grader failed: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      }
      if (this.handedBack.has(job.id)) continue;
      recordResult(this.db, job.id, result, { now: this.now(), retryDelaysMs: this.options.retryDelaysMs });
      this.options.onRecorded?.(result, Date.now() - started);
      this.options.logger.info(
        { submissionId: job.id, exerciseId: job.exerciseId, status: result.status, ms: Date.now() - started },
        "graded",
      );
    }
  }
}
