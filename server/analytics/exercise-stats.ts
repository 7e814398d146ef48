/**
 * Per-exercise numbers for instructors: the distribution of students' final scores, attempts per
 * student, the share of submissions that missed each rule, and (code) the fault combinations behind
 * failing executions. Only students' graded submissions count; staff tries are left out.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { jsonColumn, queryRows, queryValues } from "../db/query";
import type { Course } from "../course";
import { allFinalGrades } from "../grades";
import { parseGradingResult, type GradingResult } from "../../grader/result";
import { readResultDetails } from "../../grader/result-details";
import { attemptStatuses } from "../submissions/submissions";

export interface Bucket {
  label: string;
  count: number;
}

export interface RuleMiss {
  id: string;
  name: string;
  missed: number;
  total: number;
  share: number;
}

export interface ExerciseStats {
  students: number;
  submissions: number;
  scoreHistogram: Bucket[];
  attempts: Bucket[];
  ruleMisses: RuleMiss[];
  faultCombos: Bucket[];
}

const resultRow = z.object({ id: z.number(), user_id: z.number(), result: jsonColumn.transform(parseGradingResult) });

const BINS = 5;

/**
 * Up to five bins of whole points ("0–3", "4–7", … "16–17"), the last one ending at the maximum: a
 * score a student can read as points, never "3.6–7.2". A fractional score (after a late penalty)
 * counts in the bin of its whole points.
 */
export function histogram(finals: readonly number[], max: number): Bucket[] {
  const top = Math.max(0, Math.ceil(max));
  const width = Math.max(1, Math.ceil((top + 1) / BINS));
  const bins = Math.max(1, Math.ceil((top + 1) / width));
  const buckets = Array.from({ length: bins }, (_, i) => {
    const lo = i * width;
    const hi = Math.min(top, lo + width - 1);
    return { label: lo === hi ? String(lo) : `${lo}–${hi}`, count: 0 };
  });
  for (const score of finals) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(Math.floor(score) / width)));
    buckets[i]!.count++;
  }
  return buckets;
}

function ruleMisses(results: readonly GradingResult[]): RuleMiss[] {
  const byRule = new Map<string, RuleMiss>();
  for (const result of results) {
    for (const test of result.tests) {
      const entry = byRule.get(test.id) ?? { id: test.id, name: test.name, missed: 0, total: 0, share: 0 };
      entry.total++;
      if (test.status === "fail") entry.missed++;
      byRule.set(test.id, entry);
    }
  }
  return [...byRule.values()]
    .map((r) => ({ ...r, share: r.total ? r.missed / r.total : 0 }))
    .sort((a, b) => b.share - a.share || a.id.localeCompare(b.id));
}

/** The injected faults of each failing fault-space row, e.g. "payments.charge=timeout + email.send=error". */
function failingCombos(result: GradingResult): Set<string> {
  const combos = new Set<string>();
  for (const table of readResultDetails(result.details).faultSpace) {
    const columns = table.columns;
    for (const row of table.rows) {
      if (row.failing.length === 0) continue;
      const faults = row.cells
        .map((cell, i) => ({ call: columns[i] ?? `call ${i + 1}`, cell }))
        .filter((c) => c.cell !== "ok" && c.cell !== "-")
        .map((c) => `${c.call}=${c.cell}`)
        .sort();
      combos.add(faults.length ? faults.join(" + ") : "no fault injected");
    }
  }
  return combos;
}

export function exerciseStats(db: Db, course: Course, exerciseId: string): ExerciseStats {
  const entry = course.exerciseById(exerciseId);
  const max = entry?.exercise.points ?? 0;
  const rows = queryRows(
    db,
    `SELECT s.id, s.user_id, s.result FROM submissions s JOIN users u ON u.id = s.user_id
     WHERE s.exercise_id = ? AND s.score IS NOT NULL AND s.result IS NOT NULL AND u.role = 'student'`,
    [exerciseId],
    resultRow,
  );
  const studentIds = new Set(rows.map((r) => r.user_id));
  const results = rows.map((r) => r.result);

  const finals = allFinalGrades(db, course)
    .filter((g) => g.exerciseId === exerciseId && studentIds.has(g.userId))
    .map((g) => g.final);

  const attemptRows = queryValues(
    db,
    `SELECT count(*) AS n FROM submissions s JOIN users u ON u.id = s.user_id
     WHERE s.exercise_id = ? AND s.status IN ${attemptStatuses} AND u.role = 'student' GROUP BY s.user_id`,
    [exerciseId],
    z.number(),
  );
  const attemptCounts = new Map<number, number>();
  for (const n of attemptRows) attemptCounts.set(n, (attemptCounts.get(n) ?? 0) + 1);
  const attempts = [...attemptCounts]
    .sort((a, b) => a[0] - b[0])
    .map(([n, count]) => ({ label: `${n} attempt${n === 1 ? "" : "s"}`, count }));

  const comboCounts = new Map<string, number>();
  for (const result of results)
    for (const combo of failingCombos(result)) comboCounts.set(combo, (comboCounts.get(combo) ?? 0) + 1);
  const faultCombos = [...comboCounts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([label, count]) => ({ label, count }));

  return {
    students: studentIds.size,
    submissions: rows.length,
    scoreHistogram: histogram(finals, max),
    attempts,
    ruleMisses: ruleMisses(results),
    faultCombos,
  };
}
