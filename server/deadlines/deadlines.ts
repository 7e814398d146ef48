/** The exercise_deadlines table: one deadline and late policy per exercise, times as UTC ISO strings. */
import { z } from "zod";
import type { Db } from "../db/database";
import { camelRow, queryRow, queryRows } from "../db/query";

const latePolicySchema = z.enum(["penalty", "no-credit"]);
export type LatePolicy = z.infer<typeof latePolicySchema>;

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

const deadlineRow: z.ZodType<Deadline> = camelRow({
  exercise_id: z.string(),
  opens_at: z.string().nullable(),
  due_at: z.string(),
  late_until: z.string().nullable(),
  late_policy: latePolicySchema,
  penalty_percent: z.number(),
  updated_at: z.string(),
});

export function getDeadline(db: Db, exerciseId: string): Deadline | undefined {
  return queryRow(db, "SELECT * FROM exercise_deadlines WHERE exercise_id = ?", [exerciseId], deadlineRow);
}

export function listDeadlines(db: Db): Map<string, Deadline> {
  const deadlines = queryRows(db, "SELECT * FROM exercise_deadlines", [], deadlineRow);
  return new Map(deadlines.map((d) => [d.exerciseId, d]));
}

export function saveDeadline(db: Db, input: Omit<Deadline, "updatedAt">, updatedBy: number): void {
  db.prepare(
    `INSERT INTO exercise_deadlines (exercise_id, opens_at, due_at, late_until, late_policy, penalty_percent, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (exercise_id) DO UPDATE SET opens_at = excluded.opens_at, due_at = excluded.due_at,
       late_until = excluded.late_until, late_policy = excluded.late_policy, penalty_percent = excluded.penalty_percent,
       updated_by = excluded.updated_by, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(
    input.exerciseId,
    input.opensAt,
    input.dueAt,
    input.lateUntil,
    input.latePolicy,
    input.penaltyPercent,
    updatedBy,
  );
}

/** Removing a deadline makes the exercise open at any time again; extensions for it go too. */
export function deleteDeadline(db: Db, exerciseId: string): void {
  db.transaction(() => {
    db.prepare("DELETE FROM exercise_deadlines WHERE exercise_id = ?").run(exerciseId);
    db.prepare("DELETE FROM deadline_extensions WHERE exercise_id = ?").run(exerciseId);
  })();
}
