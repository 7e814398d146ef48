/**
 * The gradebook CSV: one row per student (name, then email as the SIS login), then one column per
 * exercise titled "<title> (<points>)" holding the final score from server/grades (auto + manual −
 * late penalty, or the override). Canvas imports this layout; an empty cell means nothing graded.
 */
import type { Db } from "../db/database";
import type { Course } from "../course";
import { allFinalGrades } from "../grades";
import { listUsers } from "../users/users";
import { identifier, type CsvValue } from "./csv";

export function gradebookRows(db: Db, course: Course): CsvValue[][] {
  const exercises = course.exercises.map((e) => e.exercise);
  const finals = new Map(allFinalGrades(db, course).map((g) => [`${g.userId}\u0000${g.exerciseId}`, g.final]));
  const students = listUsers(db)
    .filter((u) => u.role === "student")
    .sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
  const header: CsvValue[] = ["Student", "SIS Login ID", ...exercises.map((e) => `${e.title} (${e.points})`)];
  return [
    header,
    ...students.map((s) => [
      s.name,
      identifier(s.email),
      ...exercises.map((e) => finals.get(`${s.id}\u0000${e.id}`) ?? null),
    ]),
  ];
}
