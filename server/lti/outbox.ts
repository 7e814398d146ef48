/**
 * The grade outbox. `enqueueChanges` compares every LMS student's score on every exercise (as the
 * student sees it, from server/grades) with the last one queued for that course, student and
 * exercise, and queues the difference: so every kind of change (grading, manual items, late
 * penalty, override, regrade, release) is caught without each of them knowing about LTI, and a
 * restart loses nothing, since both sides of the comparison are in SQLite. `sendDue` posts due rows
 * and marks each sent once the platform took it; a failure pushes it back with a doubling delay.
 * A crash between the platform's answer and the mark would send that score once more; AGS keeps
 * the newest timestamp, so a repeat changes nothing there.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow, queryRows, queryValue } from "../db/query";
import type { Course } from "../course";
import { studentGrade } from "../grades";
import { findContext } from "./contexts";
import { findPlatformById } from "./platforms";
import { ensureLineItem, postScore, SCOPE_LINEITEM, SCOPE_SCORE } from "./ags";
import { serviceToken } from "./service-token";

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

const outboxRow = z.object({
  id: z.number(),
  context_id: z.number(),
  user_id: z.number(),
  exercise_id: z.string(),
  score_given: z.number(),
  score_maximum: z.number(),
  grading_progress: z.string(),
  status: z.enum(["pending", "sent"]),
  attempts: z.number(),
  next_attempt_at: z.number(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
});
export type OutboxRow = z.output<typeof outboxRow>;

interface Wanted {
  scoreGiven: number;
  scoreMaximum: number;
  gradingProgress: string;
}

function wantedScore(db: Db, course: Course, userId: number, exerciseId: string): Wanted | undefined {
  const grade = studentGrade(db, course, userId, exerciseId);
  if (!grade) return undefined;
  const exercise = course.exerciseById(exerciseId)?.exercise;
  const held = (exercise?.manualRubric?.length ?? 0) > 0 && !grade.view.released;
  return {
    scoreGiven: grade.score,
    scoreMaximum: grade.maxScore,
    gradingProgress: held ? "PendingManual" : "FullyGraded",
  };
}

function latest(db: Db, contextId: number, userId: number, exerciseId: string): OutboxRow | undefined {
  return queryRow(
    db,
    "SELECT * FROM lti_outbox WHERE context_id = ? AND user_id = ? AND exercise_id = ? ORDER BY id DESC LIMIT 1",
    [contextId, userId, exerciseId],
    outboxRow,
  );
}

/** Queues (or replaces the pending) score; `force` queues it even when it equals the last one (resend). */
export function enqueueScore(
  db: Db,
  contextId: number,
  userId: number,
  exerciseId: string,
  wanted: Wanted,
  now: number,
  force = false,
): boolean {
  return db.transaction(() => {
    const last = latest(db, contextId, userId, exerciseId);
    const same =
      last &&
      last.score_given === wanted.scoreGiven &&
      last.score_maximum === wanted.scoreMaximum &&
      last.grading_progress === wanted.gradingProgress;
    if (same && !force) return false;
    const stamp = new Date(now).toISOString();
    if (last?.status === "pending") {
      db.prepare(
        `UPDATE lti_outbox SET score_given = ?, score_maximum = ?, grading_progress = ?, created_at = ?, next_attempt_at = ?, attempts = 0
         WHERE id = ?`,
      ).run(wanted.scoreGiven, wanted.scoreMaximum, wanted.gradingProgress, stamp, now, last.id);
    } else {
      db.prepare(
        `INSERT INTO lti_outbox (context_id, user_id, exercise_id, score_given, score_maximum, grading_progress, status, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      ).run(contextId, userId, exerciseId, wanted.scoreGiven, wanted.scoreMaximum, wanted.gradingProgress, now, stamp);
    }
    return true;
  })();
}

/** Every LMS course's active students with a graded attempt, as (course, student, exercise). */
const gradedPair = z.object({ context_id: z.number(), user_id: z.number(), exercise_id: z.string() });

function gradedPairs(db: Db): Array<z.output<typeof gradedPair>> {
  return queryRows(
    db,
    `SELECT DISTINCT m.context_id, s.user_id, s.exercise_id
       FROM lti_context_members m
       JOIN users u ON u.id = m.user_id AND u.role = 'student'
       JOIN submissions s ON s.user_id = m.user_id AND s.score IS NOT NULL
       JOIN lti_contexts c ON c.id = m.context_id
       WHERE m.active = 1 AND (c.lineitems_url IS NOT NULL OR EXISTS (
         SELECT 1 FROM lti_line_items li WHERE li.context_id = c.id AND li.exercise_id = s.exercise_id))
       ORDER BY m.context_id, s.user_id, s.exercise_id`,
    [],
    gradedPair,
  );
}

export function enqueueChanges(db: Db, course: Course, now = Date.now()): number {
  let queued = 0;
  for (const pair of gradedPairs(db)) {
    if (!course.exerciseById(pair.exercise_id)) continue;
    const wanted = wantedScore(db, course, pair.user_id, pair.exercise_id);
    if (wanted && enqueueScore(db, pair.context_id, pair.user_id, pair.exercise_id, wanted, now)) queued += 1;
  }
  return queued;
}

/** Queues the current score again for one student and exercise in one course, even if it was sent. */
export function resend(
  db: Db,
  course: Course,
  contextId: number,
  userId: number,
  exerciseId: string,
  now = Date.now(),
): boolean {
  const wanted = wantedScore(db, course, userId, exerciseId);
  return wanted ? enqueueScore(db, contextId, userId, exerciseId, wanted, now, true) : false;
}

export function backoffMs(attempts: number, policy: RetryPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
}

async function sendOne(db: Db, course: Course, row: OutboxRow): Promise<void> {
  const context = findContext(db, row.context_id);
  const platform = context && findPlatformById(db, context.platformId);
  if (!context || !platform) throw new Error("the LMS course or platform is no longer registered");
  const sub = queryValue(
    db,
    "SELECT sub FROM lti_user_links WHERE issuer = ? AND user_id = ? ORDER BY created_at LIMIT 1",
    [platform.issuer, row.user_id],
    z.string(),
  );
  if (!sub) throw new Error("the student has no account at this LMS");
  const token = await serviceToken(db, platform, [SCOPE_LINEITEM, SCOPE_SCORE]);
  const lineitem = await ensureLineItem(db, course, platform, context, row.exercise_id, token);
  await postScore(platform, token, lineitem, {
    userId: sub,
    scoreGiven: row.score_given,
    scoreMaximum: row.score_maximum,
    gradingProgress: row.grading_progress,
    timestamp: row.created_at,
  });
}

/** Sends every due row once; returns how many were sent and how many failed. */
export async function sendDue(
  db: Db,
  course: Course,
  policy: RetryPolicy,
  now = () => Date.now(),
): Promise<{ sent: number; failed: number }> {
  const due = queryRows(
    db,
    "SELECT * FROM lti_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 100",
    [now()],
    outboxRow,
  );
  let sent = 0;
  let failed = 0;
  for (const row of due) {
    try {
      await sendOne(db, course, row);
      // Only the score that was sent: if a newer one replaced it meanwhile, that one stays pending.
      db.prepare(
        "UPDATE lti_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND created_at = ? AND status = 'pending'",
      ).run(new Date(now()).toISOString(), row.id, row.created_at);
      sent += 1;
    } catch (err) {
      const attempts = row.attempts + 1;
      db.prepare(
        "UPDATE lti_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND created_at = ?",
      ).run(
        attempts,
        now() + backoffMs(attempts, policy),
        (err instanceof Error ? err.message : String(err)).slice(0, 500),
        row.id,
        row.created_at,
      );
      failed += 1;
    }
  }
  return { sent, failed };
}
