import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, makeUser, type TestApp } from "../../helpers/app";
import { allFinalGrades, gradeBreakdown } from "../../../server/grades";
import { insertMark } from "../../../server/review/marks";
import { insertOverride } from "../../../server/review/overrides";
import { releaseFeedback } from "../../../server/review/release";

const exerciseId = "purchase-dependencies";
let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

function graded(userId: number, score: number, latePenalty = 0): number {
  const info = t.db
    .prepare(
      "INSERT INTO submissions (user_id, exercise_id, answer, status, result, score, max_score, late_penalty) VALUES (?, ?, '{}', 'graded', NULL, ?, 17, ?)",
    )
    .run(userId, exerciseId, score, latePenalty);
  return Number(info.lastInsertRowid);
}

describe("the final grade", () => {
  it("adds manual items to the automatic score, subtracts lateness, and stays within [0, max]", async () => {
    const { user } = await makeUser(t.db);
    const { user: ta } = await makeUser(t.db, "ta");
    const id = graded(user.id, 16.5, 2);
    insertMark(t.db, { submissionId: id, itemId: "rationale-email-soft", comment: "", userId: ta.id });
    expect(gradeBreakdown(t.db, t.course, user.id, exerciseId)).toMatchObject({
      submissionId: id,
      auto: 16.5,
      manual: 1,
      latePenalty: 2,
      final: 15.5,
      max: 17,
      released: false,
      studentScore: 14.5,
    });
    insertMark(t.db, { submissionId: id, itemId: "rationale-eligible-retry", comment: "", userId: ta.id });
    expect(gradeBreakdown(t.db, t.course, user.id, exerciseId)?.final).toBe(16.5);

    const low = graded(user.id, 0);
    insertMark(t.db, { submissionId: low, itemId: "rationale-contradicts-choices", comment: "", userId: ta.id });
    const rows = allFinalGrades(t.db, t.course).filter((r) => r.userId === user.id);
    // "best" policy: the higher final counts; the deduction never takes the other below 0.
    expect(rows).toEqual([expect.objectContaining({ exerciseId, submissionId: id, final: 16.5 })]);

    insertOverride(t.db, { submissionId: low, score: 17, reason: "Grader bug", userId: ta.id });
    releaseFeedback(t.db, exerciseId, ta.id);
    expect(gradeBreakdown(t.db, t.course, user.id, exerciseId)).toMatchObject({
      submissionId: low,
      override: { score: 17, reason: "Grader bug" },
      final: 17,
      released: true,
      studentScore: 17,
    });
  });
});
