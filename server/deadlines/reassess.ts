/**
 * Late penalties when staff change a deadline, a late policy or an extension. A penalty is written
 * with the submission; a change works out again what each covered submission would lose under the new
 * window, from the moment it was made. Nothing is changed silently:
 *
 *  - `previewChange` applies the change inside a transaction, lists every submission whose penalty
 *    would move (student, attempt, final score before and after, why), and rolls everything back.
 *  - `applyChange` applies it for real. A penalty that goes down (an extension, a later deadline) is
 *    lowered. One that would go up (work that was on time, or less late, under the deadline in force
 *    when it was submitted, including none) keeps its old penalty unless the instructor opted in on
 *    the preview. Each change and each kept penalty is written to the grade audit log.
 *
 * Submissions stay accepted whatever the new window says; only their late days and penalty change.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRows } from "../db/query";
import type { Course } from "../course";
import { submissionBreakdown } from "../grades";
import { recordAudit } from "../review/audit";
import { windowFor } from "./submission-window";
import { latePenaltyPoints, startedDaysLate } from "./window";

export interface Scope {
  exerciseId: string;
  points: number;
  /** Only this student's submissions (an extension). */
  userId?: number;
}

export interface LatenessChange {
  submissionId: number;
  userId: number;
  studentName: string;
  studentEmail: string;
  attemptNumber: number;
  oldDays: number;
  oldPenalty: number;
  newDays: number;
  newPenalty: number;
  /** Final scores as staff see them; null when the submission has no grade yet. */
  oldFinal: number | null;
  newFinal: number | null;
  max: number | null;
  /** The penalty would go up: applied only when the instructor opts in. */
  raises: boolean;
  why: string;
}

const attemptRow = z.object({
  id: z.number(),
  user_id: z.number(),
  name: z.string(),
  email: z.string(),
  created_at: z.string(),
  late_days: z.number(),
  late_penalty: z.number(),
  attempt_number: z.number(),
});
type Row = z.output<typeof attemptRow>;

function rowsIn(db: Db, scope: Scope): Row[] {
  const select = `SELECT s.id, s.user_id, u.name, u.email, s.created_at, s.late_days, s.late_penalty,
      (SELECT count(*) FROM submissions p WHERE p.user_id = s.user_id AND p.exercise_id = s.exercise_id AND p.id <= s.id) AS attempt_number
    FROM submissions s JOIN users u ON u.id = s.user_id
    WHERE s.exercise_id = ? AND s.status != 'superseded'`;
  return scope.userId === undefined
    ? queryRows(db, `${select} ORDER BY u.name COLLATE NOCASE, s.id`, [scope.exerciseId], attemptRow)
    : queryRows(db, `${select} AND s.user_id = ? ORDER BY s.id`, [scope.exerciseId, scope.userId], attemptRow);
}

const days = (n: number) => `${n} day${n === 1 ? "" : "s"} late`;

function whyOf(row: Row, newDays: number, newPenalty: number): string {
  if (row.late_days === 0 && newDays > 0)
    return `was on time when submitted; the new deadline makes it ${days(newDays)}`;
  if (newDays === 0) return `${days(row.late_days)} before; on time under the new deadline`;
  if (newDays !== row.late_days) return `${days(row.late_days)} before, ${days(newDays)} under the new deadline`;
  return `the late policy changed: −${row.late_penalty} → −${newPenalty} for ${days(newDays)}`;
}

interface Assessed {
  row: Row;
  newDays: number;
  newPenalty: number;
}

/** What the window now stored says each submission in scope should lose, where that differs from what it loses. */
function assess(db: Db, scope: Scope): Assessed[] {
  const out: Assessed[] = [];
  for (const row of rowsIn(db, scope)) {
    const window = windowFor(db, scope.exerciseId, row.user_id);
    const newDays = window ? startedDaysLate(window.dueAt, new Date(row.created_at)) : 0;
    const newPenalty = window ? latePenaltyPoints(window, newDays, scope.points) : 0;
    if (newDays !== row.late_days || newPenalty !== row.late_penalty) out.push({ row, newDays, newPenalty });
  }
  return out;
}

const update = (db: Db, id: number, lateDays: number, latePenalty: number) =>
  db.prepare("UPDATE submissions SET late_days = ?, late_penalty = ? WHERE id = ?").run(lateDays, latePenalty, id);

/** Thrown to roll a preview's transaction back. */
class PreviewOnly extends Error {}

/**
 * The submissions whose penalty the change would move (late days alone, which cost nothing under the
 * window, are not listed). Nothing is written: the change and the rescoring are rolled back.
 */
export function previewChange(db: Db, course: Course, scope: Scope, change: () => void): LatenessChange[] {
  let changes: LatenessChange[] = [];
  try {
    db.transaction(() => {
      change();
      changes = assess(db, scope)
        .filter((a) => a.newPenalty !== a.row.late_penalty)
        .map(({ row, newDays, newPenalty }) => {
          const before = submissionBreakdown(db, course, row.id);
          update(db, row.id, newDays, newPenalty);
          const after = submissionBreakdown(db, course, row.id);
          return {
            submissionId: row.id,
            userId: row.user_id,
            studentName: row.name,
            studentEmail: row.email,
            attemptNumber: row.attempt_number,
            oldDays: row.late_days,
            oldPenalty: row.late_penalty,
            newDays,
            newPenalty,
            oldFinal: before?.final ?? null,
            newFinal: after?.final ?? null,
            max: before?.max ?? null,
            raises: newPenalty > row.late_penalty,
            why: whyOf(row, newDays, newPenalty),
          };
        });
      throw new PreviewOnly();
    })();
  } catch (err) {
    if (!(err instanceof PreviewOnly)) throw err;
  }
  return changes;
}

export interface ApplyOutcome {
  /** Penalties changed (lowered, or raised with the instructor's opt-in). */
  changed: number;
  /** Penalties that would have gone up and were kept. */
  kept: number;
}

/**
 * Applies the change and re-scores, in one transaction. `lowerScores` is the instructor's opt-in
 * from the preview: without it no penalty goes up. Every score that moved, and every penalty kept,
 * is written to the grade audit log under `actorId`.
 */
export function applyChange(
  db: Db,
  course: Course,
  scope: Scope,
  change: () => void,
  options: { actorId: number; lowerScores: boolean; what: string },
): ApplyOutcome {
  return db.transaction(() => {
    change();
    let changed = 0;
    let kept = 0;
    for (const { row, newDays, newPenalty } of assess(db, scope)) {
      const before = submissionBreakdown(db, course, row.id)?.final ?? null;
      const why = whyOf(row, newDays, newPenalty);
      if (newPenalty > row.late_penalty && !options.lowerScores) {
        kept++;
        recordAudit(db, {
          submissionId: row.id,
          actorId: options.actorId,
          action: "late_penalty_kept",
          beforeScore: before,
          afterScore: before,
          detail: `${options.what}: would be −${newPenalty} (${why}); kept −${row.late_penalty}`,
          reason: "The instructor did not opt in to lowering scores of work submitted under an earlier deadline.",
        });
        continue;
      }
      update(db, row.id, newDays, newPenalty);
      if (newPenalty === row.late_penalty) continue;
      changed++;
      recordAudit(db, {
        submissionId: row.id,
        actorId: options.actorId,
        action: "late_penalty_changed",
        beforeScore: before,
        afterScore: submissionBreakdown(db, course, row.id)?.final ?? null,
        detail: `${options.what}: late penalty −${row.late_penalty} → −${newPenalty} (${why})`,
        reason: newPenalty > row.late_penalty ? "The instructor opted in to lowering scores on the preview." : "",
      });
    }
    return { changed, kept };
  })();
}
