/** The grade audit log: every manual grade change with who, when, score before and after, what and why. Append only. */
import { z } from "zod";
import type { Db } from "../db/database";
import { camelRow, queryRows } from "../db/query";

const auditActionSchema = z.enum([
  "item_applied",
  "item_removed",
  "override_set",
  "override_cleared",
  "regrade_accepted",
  "regrade_declined",
  "grading_retried",
  "late_penalty_changed",
  "late_penalty_kept",
]);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditActionLabels: Record<AuditAction, string> = {
  item_applied: "Rubric item applied",
  item_removed: "Rubric item removed",
  override_set: "Override set",
  override_cleared: "Override cleared",
  regrade_accepted: "Regrade accepted",
  regrade_declined: "Regrade declined",
  grading_retried: "Grading retried by staff",
  late_penalty_changed: "Late penalty changed by a deadline change",
  late_penalty_kept: "Late penalty kept: a deadline change would have raised it",
};

export interface AuditEntry {
  id: number;
  submissionId: number;
  actorId: number;
  actorName: string;
  at: string;
  action: AuditAction;
  beforeScore: number | null;
  afterScore: number | null;
  detail: string;
  reason: string;
}

const auditRow: z.ZodType<AuditEntry> = camelRow({
  id: z.number(),
  submission_id: z.number(),
  actor_id: z.number(),
  actor_name: z.string(),
  at: z.string(),
  action: auditActionSchema,
  before_score: z.number().nullable(),
  after_score: z.number().nullable(),
  detail: z.string(),
  reason: z.string(),
});

export function recordAudit(
  db: Db,
  entry: {
    submissionId: number;
    actorId: number;
    action: AuditAction;
    beforeScore: number | null;
    afterScore: number | null;
    detail: string;
    reason: string;
  },
): void {
  db.prepare(
    "INSERT INTO grade_audit (submission_id, actor_id, action, before_score, after_score, detail, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
  ).run(
    entry.submissionId,
    entry.actorId,
    entry.action,
    entry.beforeScore,
    entry.afterScore,
    entry.detail,
    entry.reason,
  );
}

/** Oldest first, so the log reads as a story. */
export function auditLog(db: Db, submissionId: number): AuditEntry[] {
  return queryRows(
    db,
    "SELECT a.*, u.name AS actor_name FROM grade_audit a JOIN users u ON u.id = a.actor_id WHERE a.submission_id = ? ORDER BY a.id",
    [submissionId],
    auditRow,
  );
}
