/** The exercise_deadlines table: one deadline and late policy per exercise, times as UTC ISO strings. */
import type { Db } from "../db/database";

export type LatePolicy = "penalty" | "no-credit";

export interface Deadline {
  exerciseId: string;
  opensAt: string | null;
  dueAt: string;
  lateUntil: string | null;
  latePolicy: LatePolicy;
  /** Percent of the exercise's points taken per started day late (penalty policy only). */
  penaltyPercent: number;
  updatedAt: string;
}

interface DeadlineRow {
  exercise_id: string;
  opens_at: string | null;
  due_at: string;
  late_until: string | null;
  late_policy: LatePolicy;
  penalty_percent: number;
  updated_at: string;
}

function toDeadline(row: DeadlineRow): Deadline {
  return {
    exerciseId: row.exercise_id,
    opensAt: row.opens_at,
    dueAt: row.due_at,
    lateUntil: row.late_until,
    latePolicy: row.late_policy,
    penaltyPercent: row.penalty_percent,
    updatedAt: row.updated_at,
  };
}

export function getDeadline(db: Db, exerciseId: string): Deadline | undefined {
  const row = db.prepare("SELECT * FROM exercise_deadlines WHERE exercise_id = ?").get(exerciseId) as DeadlineRow | undefined;
  return row && toDeadline(row);
}

export function listDeadlines(db: Db): Map<string, Deadline> {
  const rows = db.prepare("SELECT * FROM exercise_deadlines").all() as DeadlineRow[];
  return new Map(rows.map((r) => [r.exercise_id, toDeadline(r)]));
}

export function saveDeadline(
  db: Db,
  input: Omit<Deadline, "updatedAt">,
  updatedBy: number,
): void {
  db.prepare(
    `INSERT INTO exercise_deadlines (exercise_id, opens_at, due_at, late_until, late_policy, penalty_percent, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (exercise_id) DO UPDATE SET opens_at = excluded.opens_at, due_at = excluded.due_at,
       late_until = excluded.late_until, late_policy = excluded.late_policy, penalty_percent = excluded.penalty_percent,
       updated_by = excluded.updated_by, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(input.exerciseId, input.opensAt, input.dueAt, input.lateUntil, input.latePolicy, input.penaltyPercent, updatedBy);
}

/** Removing a deadline makes the exercise open at any time again; extensions for it go too. */
export function deleteDeadline(db: Db, exerciseId: string): void {
  db.transaction(() => {
    db.prepare("DELETE FROM exercise_deadlines WHERE exercise_id = ?").run(exerciseId);
    db.prepare("DELETE FROM deadline_extensions WHERE exercise_id = ?").run(exerciseId);
  })();
}
