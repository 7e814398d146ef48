/**
 * The review queue of one exercise: every graded submission with its review status, for the staff
 * queue page and "next ungraded". A submission's status, first match wins:
 *   regrade-requested  its student has an open regrade request
 *   overridden         staff set its score outright
 *   reviewed           a TA applied items, or marked it reviewed
 *   needs-review       the exercise has manual rubric items and this is the attempt that counts for
 *                      the student's grade (the best one or the last one, as the exercise scores)
 *   auto-graded        nothing manual to do: the automatic grade stands
 * Only the counting attempt needs review: the others do not reach the grade. When a review changes
 * which attempt counts (an override below another attempt's score, say), that one is queued next.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRows } from "../db/query";
import { personSearch } from "../db/person-search";
import { gradedInForce } from "../submissions/submissions";

export const reviewStatuses = [
  "needs-review",
  "auto-graded",
  "reviewed",
  "overridden",
  "regrade-requested",
  "infrastructure-error",
] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

export const reviewStatusLabels: Record<ReviewStatus, string> = {
  "needs-review": "Needs review",
  "auto-graded": "Auto-graded",
  reviewed: "Reviewed",
  overridden: "Overridden",
  "regrade-requested": "Regrade requested",
  "infrastructure-error": "Could not be graded (infrastructure)",
};

export interface QueueItem {
  submissionId: number;
  /** Its place among the student's submissions to the exercise: "Attempt 2". */
  attemptNumber: number;
  userId: number;
  studentName: string;
  studentEmail: string;
  /** The automatic score in force; null when the submission has no grade yet (an infrastructure error). */
  auto: number | null;
  max: number;
  createdAt: string;
  status: ReviewStatus;
  /** Why the machinery could not grade it, and when it is retried (null: only by staff now). */
  infra?: { error: string; retryAt: string | null };
  claim?: { userId: number; userName: string; expiresAt: number };
}

export interface QueueFilter {
  exerciseId: string;
  status?: ReviewStatus;
  /** Part of the student's name or email. */
  student?: string;
  /** Whether the exercise has manual rubric items (otherwise nothing ever needs review). */
  hasManualRubric?: boolean;
  /** The attempt that counts for each student's grade (countingSubmissions in server/grades). */
  counting: ReadonlySet<number>;
}

const queueRow = z.object({
  id: z.number(),
  attempt_number: z.number(),
  user_id: z.number(),
  name: z.string(),
  email: z.string(),
  score: z.number().nullable(),
  max_score: z.number().nullable(),
  created_at: z.string(),
  infra_error: z.string().nullable(),
  retry_at: z.string().nullable(),
  regrade_open: z.number(),
  overridden: z.number(),
  reviewed: z.number(),
  claim_user: z.number().nullable(),
  claim_name: z.string().nullable(),
  claim_expires: z.number().nullable(),
});
type QueueRow = z.infer<typeof queueRow>;

function statusOf(row: QueueRow, hasManualRubric: boolean, counting: ReadonlySet<number>): ReviewStatus {
  if (row.infra_error !== null) return "infrastructure-error";
  if (row.regrade_open) return "regrade-requested";
  if (row.overridden) return "overridden";
  if (row.reviewed) return "reviewed";
  if (hasManualRubric && counting.has(row.id)) return "needs-review";
  return "auto-graded";
}

/** Oldest first, so the queue is worked in submission order. */
export function reviewQueue(db: Db, filter: QueueFilter): QueueItem[] {
  const params: unknown[] = [filter.exerciseId];
  let studentClause = "";
  if (filter.student?.trim()) {
    const search = personSearch(filter.student, "u");
    studentClause = `AND ${search.sql}`;
    params.push(...search.params);
  }
  const rows = queryRows(
    db,
    `SELECT s.id, s.user_id,
       (SELECT count(*) FROM submissions p WHERE p.user_id = s.user_id AND p.exercise_id = s.exercise_id AND p.id <= s.id) AS attempt_number, u.name, u.email, s.score, s.max_score, s.created_at, s.infra_error, s.retry_at,
       EXISTS (SELECT 1 FROM regrade_requests r WHERE r.submission_id = s.id AND r.status = 'open') AS regrade_open,
       EXISTS (SELECT 1 FROM grade_overrides o WHERE o.submission_id = s.id AND o.cleared_at IS NULL) AS overridden,
       EXISTS (SELECT 1 FROM submission_reviews v WHERE v.submission_id = s.id) AS reviewed,
       c.user_id AS claim_user, cu.name AS claim_name, c.expires_at AS claim_expires
     FROM submissions s
     JOIN users u ON u.id = s.user_id
     LEFT JOIN review_claims c ON c.submission_id = s.id
     LEFT JOIN users cu ON cu.id = c.user_id
     WHERE s.exercise_id = ? AND s.status != 'superseded' AND (${gradedInForce.replace("score", "s.score")} OR s.infra_error IS NOT NULL) ${studentClause}
     ORDER BY s.id`,
    params,
    queueRow,
  );
  const hasManual = filter.hasManualRubric ?? true;
  const items = rows.map((row): QueueItem => {
    const item: QueueItem = {
      submissionId: row.id,
      attemptNumber: row.attempt_number,
      userId: row.user_id,
      studentName: row.name,
      studentEmail: row.email,
      auto: row.score,
      max: row.max_score ?? 0,
      createdAt: row.created_at,
      status: statusOf(row, hasManual, filter.counting),
    };
    if (row.infra_error !== null) item.infra = { error: row.infra_error, retryAt: row.retry_at };
    if (row.claim_user !== null && row.claim_name !== null && row.claim_expires !== null) {
      item.claim = { userId: row.claim_user, userName: row.claim_name, expiresAt: row.claim_expires };
    }
    return item;
  });
  return filter.status ? items.filter((i) => i.status === filter.status) : items;
}

/** Counts per status, for the staff overview. */
export function statusCounts(items: readonly QueueItem[]): Record<ReviewStatus, number> {
  const counts = Object.fromEntries(reviewStatuses.map((s) => [s, 0])) as Record<ReviewStatus, number>;
  for (const i of items) counts[i.status] += 1;
  return counts;
}
