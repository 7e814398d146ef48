/** Interactive ramp days in SQLite: a run is its seed and its decisions; the minutes are replayed from them. */
import type { Db } from "../db/database";
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

interface RunRow {
  id: number;
  user_id: number;
  exercise_id: string;
  seed: number;
  decisions: string;
  result: string | null;
  created_at: string;
}

function toRun(row: RunRow): RolloutRun {
  // Rows are written only by this module; a decision that no longer validates is dropped, not trusted.
  const raw = JSON.parse(row.decisions) as unknown[];
  const decisions = raw.flatMap((d) => {
    const parsed = decisionSchema.safeParse(d);
    return parsed.success ? [parsed.data] : [];
  });
  return {
    id: row.id,
    userId: row.user_id,
    exerciseId: row.exercise_id,
    seed: row.seed,
    decisions,
    result: row.result === null ? null : parseGradingResult(JSON.parse(row.result) as unknown),
    createdAt: row.created_at,
  };
}

export function startRun(db: Db, userId: number, exerciseId: string, seed: number): number {
  return Number(
    db.prepare("INSERT INTO rollout_runs (user_id, exercise_id, seed) VALUES (?, ?, ?)").run(userId, exerciseId, seed)
      .lastInsertRowid,
  );
}

/** The student's runs of an exercise, newest first. */
export function listRuns(db: Db, userId: number, exerciseId: string): RolloutRun[] {
  const rows = db
    .prepare(
      "SELECT id, user_id, exercise_id, seed, decisions, result, created_at FROM rollout_runs WHERE user_id = ? AND exercise_id = ? ORDER BY id DESC",
    )
    .all(userId, exerciseId) as RunRow[];
  return rows.map(toRun);
}

export function countRuns(db: Db, userId: number, exerciseId: string): number {
  return db
    .prepare("SELECT COUNT(*) FROM rollout_runs WHERE user_id = ? AND exercise_id = ?")
    .pluck()
    .get(userId, exerciseId) as number;
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

interface StaffRunRow extends RunRow {
  name: string;
  email: string;
}

const STAFF_COLUMNS =
  "r.id, r.user_id, r.exercise_id, r.seed, r.decisions, r.result, r.created_at, u.name, u.email FROM rollout_runs r JOIN users u ON u.id = r.user_id";

const toStaffRun = (row: StaffRunRow): StaffRolloutRun => ({
  ...toRun(row),
  studentName: row.name,
  studentEmail: row.email,
});

/** Runs one staff list shows at most: a student may start 500 days of an exercise, a course many more. */
export const MAX_LISTED = 500;

/** Every run of an exercise, or one student's, newest first, at most MAX_LISTED (staff pages). */
export function listExerciseRuns(db: Db, exerciseId: string, userId?: number): StaffRolloutRun[] {
  const rows = (
    userId === undefined
      ? db
          .prepare(`SELECT ${STAFF_COLUMNS} WHERE r.exercise_id = ? ORDER BY r.id DESC LIMIT ${MAX_LISTED}`)
          .all(exerciseId)
      : db
          .prepare(
            `SELECT ${STAFF_COLUMNS} WHERE r.exercise_id = ? AND r.user_id = ? ORDER BY r.id DESC LIMIT ${MAX_LISTED}`,
          )
          .all(exerciseId, userId)
  ) as StaffRunRow[];
  return rows.map(toStaffRun);
}

export function findRun(db: Db, runId: number): StaffRolloutRun | undefined {
  const row = db.prepare(`SELECT ${STAFF_COLUMNS} WHERE r.id = ?`).get(runId) as StaffRunRow | undefined;
  return row && toStaffRun(row);
}
