/** Which submissions a TA has finished reviewing (applying an item or an override counts too). */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow } from "../db/query";

export function markReviewed(db: Db, submissionId: number, userId: number): void {
  db.prepare(
    "INSERT INTO submission_reviews (submission_id, reviewed_by) VALUES (?, ?) ON CONFLICT (submission_id) DO NOTHING",
  ).run(submissionId, userId);
}

export function reviewedBy(db: Db, submissionId: number): { name: string; at: string } | undefined {
  const sql =
    "SELECT u.name, r.reviewed_at AS at FROM submission_reviews r JOIN users u ON u.id = r.reviewed_by WHERE r.submission_id = ?";
  return queryRow(db, sql, [submissionId], z.object({ name: z.string(), at: z.string() }));
}
