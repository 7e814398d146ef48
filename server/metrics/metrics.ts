/**
 * Prometheus metrics (prom-client) for grading: queue depth, the oldest job's age, workers alive,
 * verdicts by status and a grading-time histogram. Depth and age are what an autoscaler adds grader
 * machines on (docs/ARCHITECTURE.md). Read from the same figures as the staff page, at scrape time.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/database";
import type { GradingQueue } from "../queue/queue";
import { queueStats } from "../queue/stats";
import type { GradingResult } from "../../grader/result";

export interface GradingMetrics {
  registry: Registry;
  /** Called for every grading result recorded, with the time the grading took. */
  recorded: (result: GradingResult, ms: number) => void;
}

export function createGradingMetrics(db: Db, queue: () => GradingQueue | undefined): GradingMetrics {
  const registry = new Registry();
  // One read of the figures per scrape, shared by the gauges below.
  let pending: ReturnType<typeof queueStats> | undefined;
  const stats = () => {
    pending ??= queueStats(db, queue()).finally(() => setImmediate(() => (pending = undefined)));
    return pending;
  };
  new Gauge({
    name: "flagship_grading_queue_depth",
    help: "Submissions waiting in line for a grading",
    registers: [registry],
    async collect() {
      this.set((await stats()).queued);
    },
  });
  new Gauge({
    name: "flagship_grading_oldest_job_age_seconds",
    help: "How long the longest-waiting queued submission has waited",
    registers: [registry],
    async collect() {
      this.set((await stats()).oldestAgeSeconds);
    },
  });
  new Gauge({
    name: "flagship_grading_workers_alive",
    help: "Grader workers alive (local pool slots, or workers connected to Redis)",
    registers: [registry],
    async collect() {
      this.set((await stats()).workersAlive);
    },
  });
  new Gauge({
    name: "flagship_grading_failures",
    help: "Gradings the machinery could not finish, waiting for a retry or for staff",
    registers: [registry],
    async collect() {
      this.set((await stats()).failures);
    },
  });
  const total = new Counter({
    name: "flagship_gradings_total",
    help: "Grading results recorded, by status",
    labelNames: ["status"],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: "flagship_grading_duration_seconds",
    help: "Time one grading took on its worker",
    labelNames: ["status"],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    registry,
    recorded(result, ms) {
      total.inc({ status: result.status });
      seconds.observe({ status: result.status }, ms / 1000);
    },
  };
}
