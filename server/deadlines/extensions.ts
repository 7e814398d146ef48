/** The deadline_extensions table: a new due date (and late-until) for one student on one exercise. */
import { z } from "zod";
import type { Db } from "../db/database";
import { camelRow, queryRow, queryRows } from "../db/query";

export interface Extension {
  exerciseId: string;
  userId: number;
  dueAt: string;
  lateUntil: string | null;
  grantedAt: string;
}

export interface ExtensionWithStudent extends Extension {
  email: string;
  name: string;
}

const extensionColumns = {
  exercise_id: z.string(),
  user_id: z.number(),
  due_at: z.string(),
  late_until: z.string().nullable(),
  granted_at: z.string(),
};
const extensionRow: z.ZodType<Extension> = camelRow(extensionColumns);
const extensionWithStudentRow: z.ZodType<ExtensionWithStudent> = camelRow({
  ...extensionColumns,
  email: z.string(),
  name: z.string(),
});

export function getExtension(db: Db, exerciseId: string, userId: number): Extension | undefined {
  return queryRow(
    db,
    "SELECT * FROM deadline_extensions WHERE exercise_id = ? AND user_id = ?",
    [exerciseId, userId],
    extensionRow,
  );
}

export function listExtensions(db: Db, exerciseId: string): ExtensionWithStudent[] {
  return queryRows(
    db,
    `SELECT e.*, u.email, u.name FROM deadline_extensions e JOIN users u ON u.id = e.user_id
     WHERE e.exercise_id = ? ORDER BY u.name COLLATE NOCASE`,
    [exerciseId],
    extensionWithStudentRow,
  );
}

export function grantExtension(db: Db, input: Omit<Extension, "grantedAt">, grantedBy: number): void {
  db.prepare(
    `INSERT INTO deadline_extensions (exercise_id, user_id, due_at, late_until, granted_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (exercise_id, user_id) DO UPDATE SET due_at = excluded.due_at, late_until = excluded.late_until,
       granted_by = excluded.granted_by, granted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(input.exerciseId, input.userId, input.dueAt, input.lateUntil, grantedBy);
}

export function revokeExtension(db: Db, exerciseId: string, userId: number): void {
  db.prepare("DELETE FROM deadline_extensions WHERE exercise_id = ? AND user_id = ?").run(exerciseId, userId);
}
