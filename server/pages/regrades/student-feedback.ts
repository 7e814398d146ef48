/**
 * What a student sees of manual grading on their own submission page: applied items and comments,
 * the override and the final score only once feedback is released; their regrade requests and staff's
 * answers always. Grader notes never leave the staff pages.
 */
import type { Db } from "../../db/database";
import type { Course } from "../../course";
import type { Submission } from "../../submissions/submissions";
import { submissionBreakdown } from "../../grades";
import { activeMarks } from "../../review/marks";
import { requestsFor } from "../../review/regrade-requests";

export interface StudentFeedback {
  submissionId: number;
  canRequest: boolean;
  hasOpenRequest: boolean;
  released: boolean;
  /** Only when released. */
  final?: {
    score: number;
    max: number;
    manual: number;
    latePenalty: number;
    override?: { score: number; reason: string };
  };
  items: { description: string; points: number; comment: string }[];
  requests: {
    id: number;
    reason: string;
    status: string;
    createdAt: string;
    response: string | null;
    answeredAt: string | null;
  }[];
  form: { values: { reason: string }; errors: Record<string, string> };
}

export function studentFeedback(
  db: Db,
  course: Course,
  submission: Submission,
  form?: StudentFeedback["form"],
): StudentFeedback {
  const breakdown = submissionBreakdown(db, course, submission.id);
  const released = breakdown?.released ?? false;
  const definitions = course.exerciseById(submission.exerciseId)?.exercise.manualRubric ?? [];
  const requests = requestsFor(db, submission.id);
  const feedback: StudentFeedback = {
    submissionId: submission.id,
    canRequest: submission.score !== null,
    hasOpenRequest: requests.some((r) => r.status === "open"),
    released,
    items: [],
    requests: requests.map((r) => ({
      id: r.id,
      reason: r.reason,
      status: r.status,
      createdAt: r.createdAt,
      response: r.response,
      answeredAt: r.answeredAt,
    })),
    form: form ?? { values: { reason: "" }, errors: {} },
  };
  if (breakdown && released) {
    feedback.final = {
      score: breakdown.final,
      max: breakdown.max,
      manual: breakdown.manual,
      latePenalty: breakdown.latePenalty,
    };
    if (breakdown.override) feedback.final.override = breakdown.override;
    feedback.items = activeMarks(db, submission.id).flatMap((mark) => {
      const def = definitions.find((d) => d.id === mark.itemId);
      return def ? [{ description: def.description, points: def.points, comment: mark.comment }] : [];
    });
  }
  return feedback;
}
