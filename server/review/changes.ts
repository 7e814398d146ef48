/**
 * Every manual grade change goes through here: each runs in one transaction that makes the change and
 * appends an audit entry with the final score before and after, so nothing changes without trace.
 * Refusals a person can fix (unknown item, already applied, already answered) throw GradeChangeError
 * with the form field at fault.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryValue } from "../db/query";
import type { Course } from "../course";
import type { ManualRubricItem } from "../../grader/exercises";
import { submissionBreakdown } from "../grades";
import { recordAudit, type AuditAction } from "./audit";
import { activeMarks, findActiveMark, insertMark, stampMarkRemoved } from "./marks";
import { activeOverride, insertOverride, stampOverrideCleared } from "./overrides";
import { answerRequest, findRequest } from "./regrade-requests";
import { markReviewed } from "./reviews";

export class GradeChangeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ChangeContext {
  db: Db;
  course: Course;
  actorId: number;
}

function finalScore(ctx: ChangeContext, submissionId: number): number | null {
  return submissionBreakdown(ctx.db, ctx.course, submissionId)?.final ?? null;
}

/** Runs `change` and logs it with the final score around it, all or nothing. */
function audited(
  ctx: ChangeContext,
  submissionId: number,
  action: AuditAction,
  describe: { detail: string; reason: string },
  change: () => void,
): void {
  ctx.db.transaction(() => {
    const before = finalScore(ctx, submissionId);
    change();
    markReviewed(ctx.db, submissionId, ctx.actorId);
    recordAudit(ctx.db, {
      submissionId,
      actorId: ctx.actorId,
      action,
      beforeScore: before,
      afterScore: finalScore(ctx, submissionId),
      ...describe,
    });
  })();
}

const signed = (points: number) => (points > 0 ? `+${points}` : String(points));

function itemOf(ctx: ChangeContext, submissionId: number, itemId: string): ManualRubricItem {
  const exerciseId = queryValue(ctx.db, "SELECT exercise_id FROM submissions WHERE id = ?", [submissionId], z.string());
  const item = exerciseId
    ? ctx.course.exerciseById(exerciseId)?.exercise.manualRubric.find((i) => i.id === itemId)
    : undefined;
  if (!item) throw new GradeChangeError("itemId", "is not a manual rubric item of this exercise");
  return item;
}

export function applyItem(ctx: ChangeContext, input: { submissionId: number; itemId: string; comment: string }): void {
  const item = itemOf(ctx, input.submissionId, input.itemId);
  if (activeMarks(ctx.db, input.submissionId).some((m) => m.itemId === item.id)) {
    throw new GradeChangeError("itemId", "is already applied to this submission");
  }
  audited(
    ctx,
    input.submissionId,
    "item_applied",
    { detail: `${item.id} (${signed(item.points)}): ${item.description}`, reason: input.comment },
    () =>
      insertMark(ctx.db, {
        submissionId: input.submissionId,
        itemId: item.id,
        comment: input.comment,
        userId: ctx.actorId,
      }),
  );
}

export function removeItem(ctx: ChangeContext, input: { submissionId: number; markId: number; reason: string }): void {
  const mark = findActiveMark(ctx.db, input.markId);
  if (!mark || mark.submissionId !== input.submissionId)
    throw new GradeChangeError("markId", "is not applied to this submission");
  audited(ctx, input.submissionId, "item_removed", { detail: mark.itemId, reason: input.reason }, () =>
    stampMarkRemoved(ctx.db, mark.id, ctx.actorId),
  );
}

/** Replaces any active override (the old one is stamped cleared, so both stay in the history). */
export function setOverride(ctx: ChangeContext, input: { submissionId: number; score: number; reason: string }): void {
  const previous = activeOverride(ctx.db, input.submissionId);
  const detail = previous ? `score ${input.score} (was overridden to ${previous.score})` : `score ${input.score}`;
  audited(ctx, input.submissionId, "override_set", { detail, reason: input.reason }, () => {
    if (previous) stampOverrideCleared(ctx.db, input.submissionId, ctx.actorId);
    insertOverride(ctx.db, {
      submissionId: input.submissionId,
      score: input.score,
      reason: input.reason,
      userId: ctx.actorId,
    });
  });
}

export function clearOverride(ctx: ChangeContext, input: { submissionId: number; reason: string }): void {
  const previous = activeOverride(ctx.db, input.submissionId);
  if (!previous) throw new GradeChangeError("reason", "there is no override to clear");
  audited(ctx, input.submissionId, "override_cleared", { detail: `was ${previous.score}`, reason: input.reason }, () =>
    stampOverrideCleared(ctx.db, input.submissionId, ctx.actorId),
  );
}

export type RegradeChange = { kind: "override"; score: number } | { kind: "item"; itemId: string };

/**
 * Answers an open regrade request. Accepting applies the score change (itself audited) and then logs
 * the acceptance; declining logs the explanation with the score unchanged.
 */
export function answerRegrade(
  ctx: ChangeContext,
  input: {
    requestId: number;
    submissionId: number;
    decision: "accept" | "decline";
    response: string;
    change?: RegradeChange;
  },
): void {
  ctx.db.transaction(() => {
    const request = findRequest(ctx.db, input.requestId);
    if (!request || request.submissionId !== input.submissionId)
      throw new GradeChangeError("requestId", "is not a regrade request of this submission");
    if (request.status !== "open") throw new GradeChangeError("requestId", "was already answered");
    if (input.decision === "accept") {
      if (input.change?.kind === "override")
        setOverride(ctx, { submissionId: input.submissionId, score: input.change.score, reason: input.response });
      if (input.change?.kind === "item")
        applyItem(ctx, { submissionId: input.submissionId, itemId: input.change.itemId, comment: input.response });
    }
    const status = input.decision === "accept" ? "accepted" : "declined";
    audited(
      ctx,
      input.submissionId,
      input.decision === "accept" ? "regrade_accepted" : "regrade_declined",
      { detail: `request ${request.id}: "${request.reason}"`, reason: input.response },
      () => {
        if (!answerRequest(ctx.db, { id: request.id, status, response: input.response, userId: ctx.actorId })) {
          throw new GradeChangeError("requestId", "was already answered");
        }
      },
    );
  })();
}
