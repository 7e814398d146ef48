/**
 * The grading queue on BullMQ (REDIS_URL set), the web server's side. SQLite stays the record and the
 * web server its only writer: queued rows are handed over to Redis as jobs (with a priority from the
 * fairness rule), grader workers anywhere grade them, and their results come back on a results queue
 * that only this process consumes and records, once per submission and turn.
 *
 * A pass (on every notify, and every second) does the bookkeeping: retries that fell due go back in
 * line, jobs that crashed their workers too often are recorded as infrastructure errors, replaced
 * submissions' jobs are removed, and queued rows are handed over. Every minute (and at start) rows
 * handed over are checked against Redis, so a Redis that lost them (no AOF) gets them again.
 */
import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Db } from "../../db/database";
import type { Logger } from "../../logger";
import type { Course } from "../../course";
import type { GradingQueue } from "../queue";
import { infrastructureErrorResult, type GradingResult } from "../../../grader/result";
import { recordResult } from "../../submissions/submissions";
import { requeueAbandoned, requeueDueRetries } from "../jobs";
import { priorityOf } from "../fairness";
import { exerciseVersion } from "../exercise-version";
import { assertNoEviction, connectRedis } from "./connection";
import {
  GRADING_QUEUE,
  RESULTS_QUEUE,
  gradeJobSchema,
  jobIdFor,
  resultMessageSchema,
  type GradeJobData,
} from "./messages";
import {
  clearHandOver,
  handedOverQueued,
  handedOverTurn,
  isAwaitedResult,
  markHandedOver,
  pendingHandOvers,
  replacedHandOvers,
} from "./dispatch";
import { RedisGraderWorker } from "./grader-worker";

export interface RedisQueueOptions {
  url: string;
  logger: Logger;
  /** Grader workers in this process (GRADER_WORKERS); 0: grader machines do all the grading. */
  graderWorkers: number;
  lockMs: number;
  /** The clock retries and fairness are planned by (epoch ms). */
  now?: () => number;
  retryDelaysMs?: readonly number[];
  /** Called for every result recorded, for the metrics. */
  onRecorded?: (result: GradingResult, ms: number) => void;
}

const PASS_EVERY_MS = 1_000;
const RECONCILE_EVERY_MS = 60_000;
const HAND_OVER_BATCH = 500;

export class RedisGradingQueue implements GradingQueue {
  readonly backend = "redis";
  private connection?: Redis;
  private grading?: Queue;
  private resultsWorker?: Worker;
  private localWorker?: RedisGraderWorker;
  private timer?: NodeJS.Timeout;
  private passing?: Promise<void>;
  private passAgain = false;
  private lastReconcile = 0;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly course: Course,
    private readonly options: RedisQueueOptions,
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async start(): Promise<void> {
    const connection = connectRedis(this.options.url);
    this.connection = connection;
    connection.on("error", (err: Error) =>
      this.options.logger.warn({ err: err.message }, "Redis connection error (retrying)"),
    );
    await assertNoEviction(connection, this.options.url);
    // Rows left running by the embedded pool (the server ran without REDIS_URL before) join the line.
    const requeued = requeueAbandoned(this.db);
    if (requeued > 0)
      this.options.logger.warn({ requeued }, "re-queued submissions left running by a previous process");
    this.grading = new Queue(GRADING_QUEUE, { connection });
    this.resultsWorker = new Worker(RESULTS_QUEUE, (job) => this.record(job), { connection, concurrency: 1 });
    this.resultsWorker.on("error", (err) => this.options.logger.warn({ err: err.message }, "results worker error"));
    await this.resultsWorker.waitUntilReady();
    if (this.options.graderWorkers > 0) {
      this.localWorker = new RedisGraderWorker({
        url: this.options.url,
        concurrency: this.options.graderWorkers,
        exercisesDir: this.course.dirs.exercisesDir,
        logger: this.options.logger,
        lockMs: this.options.lockMs,
      });
      await this.localWorker.start();
    }
    this.timer = setInterval(() => this.notify(), PASS_EVERY_MS);
    this.notify();
  }

  notify(): void {
    if (this.stopped || !this.grading) return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = this.pass()
      .catch((err: unknown) =>
        this.options.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          "grading hand-over pass failed; trying again",
        ),
      )
      .finally(() => {
        this.passing = undefined;
        if (this.passAgain) {
          this.passAgain = false;
          this.notify();
        }
      });
  }

  /** Resolves once the passes asked for so far are done (tests wait on it instead of sleeping). */
  async settled(): Promise<void> {
    while (this.passing) await this.passing;
  }

  private async pass(): Promise<void> {
    const grading = this.grading;
    if (!grading) return;
    const due = requeueDueRetries(this.db, this.now());
    if (due > 0) this.options.logger.info({ due }, "retrying gradings the machinery could not finish");
    await this.recordFailedJobs(grading);
    for (const { id, generation } of replacedHandOvers(this.db)) {
      // An active job cannot be removed (it is locked); it ends on its own and its result is ignored.
      await grading.remove(jobIdFor(id, generation)).catch(() => 0);
      clearHandOver(this.db, id);
    }
    if (this.now() - this.lastReconcile >= RECONCILE_EVERY_MS) await this.reconcile(grading);
    for (const pending of pendingHandOvers(this.db, HAND_OVER_BATCH)) {
      if (this.stopped) return;
      const entry = this.course.exerciseById(pending.exerciseId);
      if (!entry) {
        this.recordIfAwaited(
          pending.id,
          pending.generation,
          infrastructureErrorResult(0, `The exercise "${pending.exerciseId}" is not part of the course as loaded now.`),
          0,
        );
        continue;
      }
      const data: GradeJobData = {
        submissionId: pending.id,
        generation: pending.generation,
        exerciseId: pending.exerciseId,
        exerciseVersion: exerciseVersion(entry.exercise),
        answer: pending.answer,
      };
      await grading.add("grade", data, {
        jobId: jobIdFor(pending.id, pending.generation),
        priority: priorityOf(this.db, pending.id, this.now()),
        removeOnComplete: true,
        removeOnFail: false,
      });
      markHandedOver(this.db, pending.id, pending.generation);
    }
  }

  /** Jobs BullMQ failed (they stalled their workers too often): an infrastructure error, retried later. */
  private async recordFailedJobs(grading: Queue): Promise<void> {
    for (const job of await grading.getFailed(0, 99)) {
      const data = gradeJobSchema.safeParse(job.data);
      if (data.success) {
        const message = `The grading stopped its grader worker repeatedly (${job.failedReason ?? "stalled"}), so it was put aside to be tried again later.`;
        this.recordIfAwaited(data.data.submissionId, data.data.generation, infrastructureErrorResult(0, message), 0);
      }
      await job.remove().catch(() => undefined);
    }
  }

  /** Rows handed over whose job Redis no longer has (and no result waits for): hand them over again. */
  private async reconcile(grading: Queue): Promise<void> {
    this.lastReconcile = this.now();
    const results = new Queue(RESULTS_QUEUE, { connection: grading.opts.connection });
    try {
      for (const { id, generation } of handedOverQueued(this.db)) {
        const jobId = jobIdFor(id, generation);
        if ((await grading.getJobState(jobId)) !== "unknown") continue;
        if ((await results.getJobState(jobId)) !== "unknown") continue;
        this.options.logger.warn(
          { submissionId: id },
          "Redis had no job for a queued submission; handing it over again",
        );
        clearHandOver(this.db, id, generation);
      }
    } finally {
      await results.close();
    }
  }

  private recordIfAwaited(id: number, generation: number, result: GradingResult, ms: number): boolean {
    if (!isAwaitedResult(this.db, id, generation)) return false;
    recordResult(this.db, id, result, { now: this.now(), retryDelaysMs: this.options.retryDelaysMs });
    this.options.onRecorded?.(result, ms);
    return true;
  }

  /** The results queue's one consumer: records a delivered result once (see isAwaitedResult). */
  private async record(job: Job): Promise<void> {
    const parsed = resultMessageSchema.safeParse(job.data);
    if (!parsed.success) {
      this.options.logger.error({ jobId: job.id, issues: parsed.error.issues }, "malformed grading result dropped");
      return;
    }
    const { submissionId, generation, result, ms, worker } = parsed.data;
    const recorded = this.recordIfAwaited(submissionId, generation, result, ms);
    this.options.logger.info(
      { submissionId, status: result.status, ms, worker, recorded },
      recorded ? "graded" : "result for an earlier turn ignored",
    );
    // A regrade asked while it was being graded put it back in line: hand the new turn over.
    if (recorded) this.notify();
  }

  async position(submissionId: number): Promise<number | undefined> {
    const turn = handedOverTurn(this.db, submissionId);
    const grading = this.grading;
    const connection = this.connection;
    if (turn === undefined || !grading || !connection) return undefined;
    const jobId = jobIdFor(submissionId, turn);
    const state = await grading.getJobState(jobId);
    const waitKey = grading.keys.wait;
    const prioritizedKey = grading.keys.prioritized;
    if (!waitKey || !prioritizedKey) return undefined;
    // Jobs without a priority (none are added so, but a hand-back may put one there) go first, from the list's tail.
    const waiting = await connection.llen(waitKey);
    if (state === "prioritized") {
      const rank = await connection.zrank(prioritizedKey, jobId);
      return rank === null ? undefined : waiting + rank + 1;
    }
    if (state === "waiting") {
      const index = await connection.lpos(waitKey, jobId);
      return index === null ? undefined : waiting - index;
    }
    return undefined;
  }

  async workersAlive(): Promise<number> {
    if (!this.grading) return 0;
    return (await this.grading.getWorkers()).length;
  }

  /** Stops handing over and recording; this process's own grader workers get `graceMs`, then hand back. */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.settled().catch(() => undefined);
    await this.localWorker?.stop(options);
    await this.resultsWorker?.close();
    await this.grading?.close();
    this.connection?.disconnect();
  }
}
