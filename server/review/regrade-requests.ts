/** SQL for students' regrade requests; a partial unique index keeps one open request per submission. */
import type { Db } from "../db/database";

export type RegradeStatus = "open" | "accepted" | "declined";

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

interface RequestRow {
  id: number;
  submission_id: number;
  student_id: number;
  reason: string;
  status: RegradeStatus;
  created_at: string;
  response: string | null;
  answered_by_name: string | null;
  answered_at: string | null;
}

const toRequest = (r: RequestRow): RegradeRequest => ({
  id: r.id,
  submissionId: r.submission_id,
  studentId: r.student_id,
  reason: r.reason,
  status: r.status,
  createdAt: r.created_at,
  response: r.response,
  answeredByName: r.answered_by_name,
  answeredAt: r.answered_at,
});

const select = "SELECT r.*, u.name AS answered_by_name FROM regrade_requests r LEFT JOIN users u ON u.id = r.answered_by";

export class OpenRequestExistsError extends Error {
  constructor() {
    super("You already have an open regrade request for this submission; wait for its answer.");
  }
}

export function createRegradeRequest(db: Db, input: { submissionId: number; studentId: number; reason: string }): number {
  return db.transaction(() => {
    const open = db.prepare("SELECT 1 FROM regrade_requests WHERE submission_id = ? AND status = 'open'").get(input.submissionId);
    if (open) throw new OpenRequestExistsError();
    const info = db
      .prepare("INSERT INTO regrade_requests (submission_id, student_id, reason, status) VALUES (?, ?, ?, 'open')")
      .run(input.submissionId, input.studentId, input.reason);
    return Number(info.lastInsertRowid);
  })();
}

/** Newest first. */
export function requestsFor(db: Db, submissionId: number): RegradeRequest[] {
  return (db.prepare(`${select} WHERE r.submission_id = ? ORDER BY r.id DESC`).all(submissionId) as RequestRow[]).map(toRequest);
}

export function findRequest(db: Db, id: number): RegradeRequest | undefined {
  const row = db.prepare(`${select} WHERE r.id = ?`).get(id) as RequestRow | undefined;
  return row && toRequest(row);
}

/** Answers an open request; false when it was already answered (e.g. by another TA a moment ago). */
export function answerRequest(db: Db, input: { id: number; status: "accepted" | "declined"; response: string; userId: number }): boolean {
  const info = db
    .prepare(
      "UPDATE regrade_requests SET status = ?, response = ?, answered_by = ?, answered_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND status = 'open'",
    )
    .run(input.status, input.response, input.userId, input.id);
  return info.changes === 1;
}
