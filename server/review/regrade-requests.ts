/** SQL for students' regrade requests; a partial unique index keeps one open request per submission. */
import { z } from "zod";
import type { Db } from "../db/database";
import { camelRow, queryRow, queryRows } from "../db/query";

const regradeStatusSchema = z.enum(["open", "accepted", "declined"]);
export type RegradeStatus = z.infer<typeof regradeStatusSchema>;

export interface RegradeRequest {
  id: number;
  submissionId: number;
  studentId: number;
  reason: string;
  status: RegradeStatus;
  createdAt: string;
  response: string | null;
  answeredByName: string | null;
  answeredAt: string | null;
}

const requestRow: z.ZodType<RegradeRequest> = camelRow({
  id: z.number(),
  submission_id: z.number(),
  student_id: z.number(),
  reason: z.string(),
  status: regradeStatusSchema,
  created_at: z.string(),
  response: z.string().nullable(),
  answered_by_name: z.string().nullable(),
  answered_at: z.string().nullable(),
});

const select =
  "SELECT r.*, u.name AS answered_by_name FROM regrade_requests r LEFT JOIN users u ON u.id = r.answered_by";

export class OpenRequestExistsError extends Error {
  constructor() {
    super("You already have an open regrade request for this submission; wait for its answer.");
  }
}

export function createRegradeRequest(
  db: Db,
  input: { submissionId: number; studentId: number; reason: string },
): number {
  return db.transaction(() => {
    const open = db
      .prepare("SELECT 1 FROM regrade_requests WHERE submission_id = ? AND status = 'open'")
      .get(input.submissionId);
    if (open) throw new OpenRequestExistsError();
    const info = db
      .prepare("INSERT INTO regrade_requests (submission_id, student_id, reason, status) VALUES (?, ?, ?, 'open')")
      .run(input.submissionId, input.studentId, input.reason);
    return Number(info.lastInsertRowid);
  })();
}

/** Newest first. */
export function requestsFor(db: Db, submissionId: number): RegradeRequest[] {
  return queryRows(db, `${select} WHERE r.submission_id = ? ORDER BY r.id DESC`, [submissionId], requestRow);
}

export function findRequest(db: Db, id: number): RegradeRequest | undefined {
  return queryRow(db, `${select} WHERE r.id = ?`, [id], requestRow);
}

/** Answers an open request; false when it was already answered (e.g. by another TA a moment ago). */
export function answerRequest(
  db: Db,
  input: { id: number; status: "accepted" | "declined"; response: string; userId: number },
): boolean {
  const info = db
    .prepare(
      "UPDATE regrade_requests SET status = ?, response = ?, answered_by = ?, answered_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND status = 'open'",
    )
    .run(input.status, input.response, input.userId, input.id);
  return info.changes === 1;
}
