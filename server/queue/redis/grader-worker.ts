/**
 * A grader worker on BullMQ: takes grading jobs from Redis, grades them with the exercises it loaded
 * from its own disk, and posts each result to the results queue. It holds no database and no web
 * secrets; `npx flagship worker` runs one per machine, and the web server runs one in-process when
 * GRADER_WORKERS > 0.
 *
 * Delivery: BullMQ holds a job under a lock the worker renews; a worker killed mid-grading stops
 * renewing, and another worker's stalled-job check puts the job back in line (GRADER_LOCK_MS later).
 * A job that completes after its result was posted (or is graded twice) only posts the same result
 * for the same turn again, which the web server records once.
 */
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../../logger";
import { loadExercises, type Exercise } from "../../../grader/exercises";
import { infrastructureErrorResult, type GradingResult } from "../../../grader/result";
import { gradeExerciseAnswer } from "../grade-job";
import { exerciseVersion } from "../exercise-version";
import { assertNoEviction, connectRedis } from "./connection";
import { GRADING_QUEUE, RESULTS_QUEUE, gradeJobSchema, type GradeJobData, type ResultMessage } from "./messages";

export interface GraderWorkerOptions {
  url: string;
  concurrency: number;
  exercisesDir: string;
  logger: Logger;
  /** How long a hold on a job lasts unrenewed; a dead worker's jobs are taken over after about this long. */
  lockMs: number;
}

/** A grading that crashed its worker this many times is failed (and recorded as an infrastructure error). */
const MAX_STALLS = 3;
/** Files are read again at most this often when a job names a version this machine does not have. */
const RELOAD_EVERY_MS = 5_000;

export class RedisGraderWorker {
  readonly name = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private connection?: Redis;
  private worker?: Worker;
  private results?: Queue;
  private exercises = new Map<string, { exercise: Exercise; version: string }>();
  private lastLoad = 0;
  private loading?: Promise<void>;
  /** Jobs being graded now, with the lock token that lets this worker hand one back. */
  private readonly active = new Map<string, { job: Job; token: string | undefined }>();
  private readonly handedBack = new Set<string>();

  constructor(private readonly options: GraderWorkerOptions) {}

  async start(): Promise<void> {
    const connection = connectRedis(this.options.url);
    this.connection = connection;
    connection.on("error", (err: Error) =>
      this.options.logger.warn({ err: err.message }, "Redis connection error (retrying)"),
    );
    await assertNoEviction(connection, this.options.url);
    await this.reload();
    this.results = new Queue(RESULTS_QUEUE, { connection });
    this.worker = new Worker(GRADING_QUEUE, (job, token) => this.process(job, token), {
      connection,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
      maxStalledCount: MAX_STALLS,
      name: this.name,
    });
    this.worker.on("error", (err) => this.options.logger.warn({ err: err.message }, "grader worker error"));
    await this.worker.waitUntilReady();
  }

  private reload(): Promise<void> {
    this.loading ??= (async () => {
      const { exercises, errors } = await loadExercises(this.options.exercisesDir);
      for (const problem of errors) this.options.logger.error({ problem }, "exercise skipped");
      this.exercises = new Map(
        exercises.map((exercise) => [exercise.id, { exercise, version: exerciseVersion(exercise) }]),
      );
      this.lastLoad = Date.now();
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async exerciseFor(data: GradeJobData): Promise<{ exercise: Exercise } | { problem: string }> {
    let entry = this.exercises.get(data.exerciseId);
    if ((!entry || entry.version !== data.exerciseVersion) && Date.now() - this.lastLoad >= RELOAD_EVERY_MS) {
      await this.reload();
      entry = this.exercises.get(data.exerciseId);
    }
    if (!entry)
      return {
        problem: `The grader machine ${this.name} has no exercise "${data.exerciseId}" in ${this.options.exercisesDir}.`,
      };
    if (entry.version !== data.exerciseVersion) {
      return {
        problem: `The grader machine ${this.name} has another version of "${data.exerciseId}" (${entry.version}) than the web server (${data.exerciseVersion}); every machine needs the same exercises.`,
      };
    }
    return { exercise: entry.exercise };
  }

  /** Never throws: whatever goes wrong is an infrastructure error, retried by the server and never scored. */
  private async grade(data: GradeJobData): Promise<GradingResult> {
    try {
      const found = await this.exerciseFor(data);
      if ("problem" in found) return infrastructureErrorResult(0, found.problem);
      return await gradeExerciseAnswer(found.exercise, data.answer);
    } catch (err) {
      return infrastructureErrorResult(0, `The grader failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async process(job: Job, token: string | undefined): Promise<void> {
    const parsed = gradeJobSchema.safeParse(job.data);
    if (!parsed.success) {
      // Only the web server queues jobs; a malformed one has nobody to answer to.
      this.options.logger.error({ jobId: job.id, issues: parsed.error.issues }, "malformed grading job dropped");
      return;
    }
    const key = job.id ?? "";
    this.active.set(key, { job, token });
    try {
      const started = Date.now();
      const result = await this.grade(parsed.data);
      // Handed back at shutdown: another worker grades it; this result is not posted.
      if (this.handedBack.has(key)) return;
      const message: ResultMessage = {
        submissionId: parsed.data.submissionId,
        generation: parsed.data.generation,
        result,
        ms: Date.now() - started,
        worker: this.name,
      };
      await this.results?.add("result", message, { jobId: key, removeOnComplete: true, removeOnFail: false });
      this.options.logger.info({ submissionId: message.submissionId, status: result.status, ms: message.ms }, "graded");
    } finally {
      this.active.delete(key);
    }
  }

  /**
   * Takes no new job; the running ones get `graceMs` to finish, then go back in line for another
   * worker (moveToWait releases this worker's lock at once), so a SIGTERM ends within the grace.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    const worker = this.worker;
    if (worker) {
      const closing = worker.close().then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<boolean>(
        (resolve) => (timer = setTimeout(() => resolve(false), options.graceMs ?? 8_000)),
      );
      const inTime = await Promise.race([closing, graceOver]);
      clearTimeout(timer);
      if (!inTime) {
        for (const [key, { job, token }] of this.active) {
          this.handedBack.add(key);
          try {
            await job.moveToWait(token);
            this.options.logger.warn({ jobId: key }, "handed an unfinished grading back to the queue");
          } catch (err) {
            // Its lock runs out instead, and the stalled-job check puts it back.
            this.options.logger.warn(
              { jobId: key, err: err instanceof Error ? err.message : String(err) },
              "could not hand a grading back",
            );
          }
        }
        void closing.catch(() => undefined);
      }
    }
    await this.results?.close().catch(() => undefined);
    this.connection?.disconnect();
  }
}
