/**
 * Feedback release per exercise. Manual feedback (items, comments, overrides, the final score) reaches
 * students either at once ('immediate') or only after staff press "release" ('held', the default).
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow, queryRows } from "../db/query";

const releaseModeSchema = z.enum(["immediate", "held"]);
export type ReleaseMode = z.infer<typeof releaseModeSchema>;

export interface ReleaseState {
  exerciseId: string;
  mode: ReleaseMode;
  releasedAt: string | null;
  /** Whether students see manual feedback now. */
  released: boolean;
}

const releaseRow = z.object({ exercise_id: z.string(), mode: releaseModeSchema, released_at: z.string().nullable() });
type ReleaseRow = z.infer<typeof releaseRow>;

const toState = (exerciseId: string, row: ReleaseRow | undefined): ReleaseState => {
  const mode = row?.mode ?? "held";
  const releasedAt = row?.released_at ?? null;
  return { exerciseId, mode, releasedAt, released: mode === "immediate" || releasedAt !== null };
};

export function releaseState(db: Db, exerciseId: string): ReleaseState {
  return toState(
    exerciseId,
    queryRow(db, "SELECT * FROM feedback_release WHERE exercise_id = ?", [exerciseId], releaseRow),
  );
}

/** Release state of every exercise named, for course-wide grade computation. */
export function releaseStates(db: Db, exerciseIds: readonly string[]): Map<string, ReleaseState> {
  const rows = new Map(queryRows(db, "SELECT * FROM feedback_release", [], releaseRow).map((r) => [r.exercise_id, r]));
  return new Map(exerciseIds.map((id) => [id, toState(id, rows.get(id))]));
}

export function setReleaseMode(db: Db, exerciseId: string, mode: ReleaseMode): void {
  db.prepare(
    "INSERT INTO feedback_release (exercise_id, mode) VALUES (?, ?) ON CONFLICT (exercise_id) DO UPDATE SET mode = excluded.mode",
  ).run(exerciseId, mode);
}

export function releaseFeedback(db: Db, exerciseId: string, userId: number): void {
  db.prepare(
    `INSERT INTO feedback_release (exercise_id, mode, released_at, released_by)
     VALUES (?, 'held', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)
     ON CONFLICT (exercise_id) DO UPDATE SET released_at = excluded.released_at, released_by = excluded.released_by`,
  ).run(exerciseId, userId);
}

/** Takes a release back (e.g. released by mistake); with mode 'held' students stop seeing manual feedback. */
export function withdrawRelease(db: Db, exerciseId: string): void {
  db.prepare("UPDATE feedback_release SET released_at = NULL, released_by = NULL WHERE exercise_id = ?").run(
    exerciseId,
  );
}
