/** What staff see of grade passback: the latest outbox row per LMS course, student and exercise. */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRows } from "../db/query";

export interface SyncRow {
  contextId: number;
  contextTitle: string;
  userId: number;
  name: string;
  email: string;
  exerciseId: string;
  score: number;
  max: number;
  state: "sent" | "pending" | "retrying";
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  nextAttemptAt: number;
}

const syncRow = z
  .object({
    context_id: z.number(),
    context_title: z.string(),
    context_key: z.string(),
    user_id: z.number(),
    name: z.string(),
    email: z.string(),
    exercise_id: z.string(),
    score_given: z.number(),
    score_maximum: z.number(),
    status: z.enum(["pending", "sent"]),
    attempts: z.number(),
    last_error: z.string().nullable(),
    sent_at: z.string().nullable(),
    next_attempt_at: z.number(),
  })
  .transform((r): SyncRow => ({
    contextId: r.context_id,
    contextTitle: r.context_title || r.context_key,
    userId: r.user_id,
    name: r.name,
    email: r.email,
    exerciseId: r.exercise_id,
    score: r.score_given,
    max: r.score_maximum,
    state: r.status === "sent" ? "sent" : r.attempts > 0 ? "retrying" : "pending",
    attempts: r.attempts,
    lastError: r.last_error,
    sentAt: r.sent_at,
    nextAttemptAt: r.next_attempt_at,
  }));

export function syncState(db: Db): SyncRow[] {
  return queryRows(
    db,
    `SELECT o.*, c.title AS context_title, c.context_id AS context_key, u.name, u.email
       FROM lti_outbox o
       JOIN (SELECT max(id) AS id FROM lti_outbox GROUP BY context_id, user_id, exercise_id) latest ON latest.id = o.id
       JOIN lti_contexts c ON c.id = o.context_id
       JOIN users u ON u.id = o.user_id
       ORDER BY c.title, u.name COLLATE NOCASE, o.exercise_id`,
    [],
    syncRow,
  );
}
