/**
 * The per-rule CSV for analysis: one row per rule of every graded submission (student, exercise,
 * submission, rule id, status, points), with whether that submission is the one that counts.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { jsonColumn, queryRows } from "../db/query";
import type { Course } from "../course";
import { allFinalGrades } from "../grades";
import { parseGradingResult } from "../../grader/result";
import { identifier, type CsvValue } from "./csv";

const resultRow = z.object({
  id: z.number(),
  exercise_id: z.string(),
  created_at: z.string(),
  result: jsonColumn.transform(parseGradingResult),
  name: z.string(),
  email: z.string(),
});

export function ruleResultRows(db: Db, course: Course): CsvValue[][] {
  const counting = new Set(allFinalGrades(db, course).map((g) => g.submissionId));
  const rows = queryRows(
    db,
    `SELECT s.id, s.exercise_id, s.created_at, s.result, u.name, u.email FROM submissions s JOIN users u ON u.id = s.user_id
     WHERE s.score IS NOT NULL AND s.result IS NOT NULL AND u.role = 'student' ORDER BY u.name COLLATE NOCASE, s.exercise_id, s.id`,
    [],
    resultRow,
  );
  const out: CsvValue[][] = [
    ["Student", "Email", "Exercise", "Submission", "Submitted at", "Counts", "Rule", "Status", "Points", "Max points"],
  ];
  for (const row of rows) {
    const result = row.result;
    for (const test of result.tests) {
      out.push([
        row.name,
        identifier(row.email),
        row.exercise_id,
        row.id,
        row.created_at,
        counting.has(row.id) ? "yes" : "no",
        test.id,
        test.status,
        test.points,
        test.maxPoints,
      ]);
    }
  }
  return out;
}
