/**
 * What travels through Redis, both ways, checked with zod on arrival: a message from Redis crossed a
 * process boundary (and perhaps a machine), so it is parsed, never trusted.
 *
 * A grading job carries everything grading needs (exercise id and version, the answer), so a worker
 * needs no database; a result carries the submission and the queue turn it answers, so the web server
 * records it once however often it is delivered.
 */
import { z } from "zod";
import { gradingResultSchema } from "../../../grader/result";

/** The queue workers take gradings from, and the one only the web server consumes. */
export const GRADING_QUEUE = "flagship-grading";
export const RESULTS_QUEUE = "flagship-results";

export const gradeJobSchema = z.object({
  submissionId: z.number().int().positive(),
  /** The submission's queue_generation when it was handed over: which turn in line this is. */
  generation: z.number().int().min(0),
  exerciseId: z.string().min(1),
  exerciseVersion: z.string().min(1),
  answer: z.unknown(),
});
export type GradeJobData = z.infer<typeof gradeJobSchema>;

export const resultMessageSchema = z.object({
  submissionId: z.number().int().positive(),
  generation: z.number().int().min(0),
  result: gradingResultSchema,
  /** Wall time the grading took on the worker, for the grading-time histogram. */
  ms: z.number().min(0),
  worker: z.string(),
});
export type ResultMessage = z.infer<typeof resultMessageSchema>;

/** One job id per submission and turn: adding it twice (a hand-over retried) adds it once. */
export function jobIdFor(submissionId: number, generation: number): string {
  return `${submissionId}-${generation}`;
}
