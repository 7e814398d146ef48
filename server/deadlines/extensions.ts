/** The deadline_extensions table: a new due date (and late-until) for one student on one exercise. */
import type { Db } from "../db/database";

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

interface ExtensionRow {
  exercise_id: string;
  user_id: number;
  due_at: string;
  late_until: string | null;
  granted_at: string;
}

function toExtension(row: ExtensionRow): Extension {
  return { exerciseId: row.exercise_id, userId: row.user_id, dueAt: row.due_at, lateUntil: row.late_until, grantedAt: row.granted_at };
}

export function getExtension(db: Db, exerciseId: string, userId: number): Extension | undefined {
  const row = db.prepare("SELECT * FROM deadline_extensions WHERE exercise_id = ? AND user_id = ?").get(exerciseId, userId) as
    | ExtensionRow
    | undefined;
  return row && toExtension(row);
}

export function listExtensions(db: Db, exerciseId: string): ExtensionWithStudent[] {
  const rows = db
    .prepare(
      `SELECT e.*, u.email, u.name FROM deadline_extensions e JOIN users u ON u.id = e.user_id
       WHERE e.exercise_id = ? ORDER BY u.name COLLATE NOCASE`,
    )
    .all(exerciseId) as Array<ExtensionRow & { email: string; name: string }>;
  return rows.map((r) => ({ ...toExtension(r), email: r.email, name: r.name }));
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
