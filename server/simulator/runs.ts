/** Interactive ramp days in SQLite: a run is its seed and its decisions; the minutes are replayed from them. */
import { z } from "zod";
import type { Db } from "../db/database";
import { jsonColumn, queryRow, queryRows, queryValue } from "../db/query";
import { decisionSchema, type InteractiveDecision } from "../../grader/rollout-sim/interactive";
import { parseGradingResult, type GradingResult } from "../../grader/result";

export interface RolloutRun {
  id: number;
  userId: number;
  exerciseId: string;
  seed: number;
  decisions: InteractiveDecision[];
  result: GradingResult | null;
  createdAt: string;
}

const runColumns = z.object({
  id: z.number(),
  user_id: z.number(),
  exercise_id: z.string(),
  seed: z.number(),
  decisions: jsonColumn.pipe(z.array(z.unknown())),
  result: jsonColumn.nullable(),
  created_at: z.string(),
});

function toRun(row: z.infer<typeof runColumns>): RolloutRun {
  return {
    id: row.id,
    userId: row.user_id,
    exerciseId: row.exercise_id,
    seed: row.seed,
    // Rows are written only by this module; a decision that no longer validates is dropped, not trusted.
    decisions: row.decisions.flatMap((d) => {
      const parsed = decisionSchema.safeParse(d);
      return parsed.success ? [parsed.data] : [];
    }),
    result: row.result === null ? null : parseGradingResult(row.result),
    createdAt: row.created_at,
  };
}

const runRow = runColumns.transform(toRun);

export function startRun(db: Db, userId: number, exerciseId: string, seed: number): number {
  return Number(
    db.prepare("INSERT INTO rollout_runs (user_id, exercise_id, seed) VALUES (?, ?, ?)").run(userId, exerciseId, seed)
      .lastInsertRowid,
  );
}

/** The student's runs of an exercise, newest first. */
export function listRuns(db: Db, userId: number, exerciseId: string): RolloutRun[] {
  return queryRows(
    db,
    "SELECT id, user_id, exercise_id, seed, decisions, result, created_at FROM rollout_runs WHERE user_id = ? AND exercise_id = ? ORDER BY id DESC",
    [userId, exerciseId],
    runRow,
  );
}

export function countRuns(db: Db, userId: number, exerciseId: string): number {
  return (
    queryValue(
      db,
      "SELECT COUNT(*) FROM rollout_runs WHERE user_id = ? AND exercise_id = ?",
      [userId, exerciseId],
      z.number(),
    ) ?? 0
  );
}

/** Records the decisions so far, and the result once the run is over. */
export function saveRun(
  db: Db,
  runId: number,
  decisions: readonly InteractiveDecision[],
  result: GradingResult | null,
): void {
  db.prepare(
    "UPDATE rollout_runs SET decisions = ?, result = ?, score = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
  ).run(
    JSON.stringify(decisions),
    result === null ? null : JSON.stringify(result),
    result?.status === "graded" ? result.score : null,
    runId,
  );
}

/** A run with who ran it, for staff. */
export interface StaffRolloutRun extends RolloutRun {
  studentName: string;
  studentEmail: string;
}

const staffRunRow = runColumns
  .extend({ name: z.string(), email: z.string() })
  .transform((row): StaffRolloutRun => ({ ...toRun(row), studentName: row.name, studentEmail: row.email }));

const STAFF_COLUMNS =
  "r.id, r.user_id, r.exercise_id, r.seed, r.decisions, r.result, r.created_at, u.name, u.email FROM rollout_runs r JOIN users u ON u.id = r.user_id";

/** Runs one staff list shows at most: a student may start 500 days of an exercise, a course many more. */
export const MAX_LISTED = 500;

/** Every run of an exercise, or one student's, newest first, at most MAX_LISTED (staff pages). */
export function listExerciseRuns(db: Db, exerciseId: string, userId?: number): StaffRolloutRun[] {
  const order = `ORDER BY r.id DESC LIMIT ${MAX_LISTED}`;
  return userId === undefined
    ? queryRows(db, `SELECT ${STAFF_COLUMNS} WHERE r.exercise_id = ? ${order}`, [exerciseId], staffRunRow)
    : queryRows(
        db,
        `SELECT ${STAFF_COLUMNS} WHERE r.exercise_id = ? AND r.user_id = ? ${order}`,
        [exerciseId, userId],
        staffRunRow,
      );
}

export function findRun(db: Db, runId: number): StaffRolloutRun | undefined {
  return queryRow(db, `SELECT ${STAFF_COLUMNS} WHERE r.id = ?`, [runId], staffRunRow);
}
