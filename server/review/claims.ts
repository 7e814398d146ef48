/**
 * Short claims on submissions so "next ungraded" never hands two TAs the same one. A claim lasts
 * CLAIM_MINUTES; after that another TA may take the submission (the first one probably walked away).
 * better-sqlite3 is synchronous and the pick-and-claim runs in one IMMEDIATE transaction, so even two
 * processes on the same file cannot both claim one submission.
 */
import { z } from "zod";
import type { Db } from "../db/database";
import { queryRow } from "../db/query";
import { reviewQueue } from "./queue";

export const CLAIM_MINUTES = 10;

export interface Claim {
  submissionId: number;
  userId: number;
  userName: string;
  expiresAt: number;
}

const claimRow = z
  .object({ submission_id: z.number(), user_id: z.number(), expires_at: z.number(), name: z.string() })
  .transform((row): Claim => ({
    submissionId: row.submission_id,
    userId: row.user_id,
    userName: row.name,
    expiresAt: row.expires_at,
  }));

/** The live claim on a submission, if any. */
export function liveClaim(db: Db, submissionId: number, now = Date.now()): Claim | undefined {
  return queryRow(
    db,
    "SELECT c.submission_id, c.user_id, c.expires_at, u.name FROM review_claims c JOIN users u ON u.id = c.user_id WHERE c.submission_id = ? AND c.expires_at > ?",
    [submissionId, now],
    claimRow,
  );
}

/** Claims (or renews) a submission for a TA. */
export function claim(db: Db, submissionId: number, userId: number, now = Date.now()): void {
  db.prepare(
    "INSERT INTO review_claims (submission_id, user_id, expires_at) VALUES (?, ?, ?) ON CONFLICT (submission_id) DO UPDATE SET user_id = excluded.user_id, expires_at = excluded.expires_at",
  ).run(submissionId, userId, now + CLAIM_MINUTES * 60_000);
}

/** A TA is done with a submission: others may take it at once. */
export function releaseClaim(db: Db, submissionId: number, userId: number): void {
  db.prepare("DELETE FROM review_claims WHERE submission_id = ? AND user_id = ?").run(submissionId, userId);
}

/**
 * The oldest submission of an exercise that needs review and is not claimed by another TA, claimed
 * for `userId`. A TA who asks again gets the one they already hold first.
 */
export function claimNextUngraded(
  db: Db,
  exercise: { id: string; manualRubric: readonly unknown[] },
  userId: number,
  counting: () => ReadonlySet<number>,
  now = Date.now(),
): number | undefined {
  return db
    .transaction(() => {
      const candidates = reviewQueue(db, {
        exerciseId: exercise.id,
        status: "needs-review",
        hasManualRubric: exercise.manualRubric.length > 0,
        counting: counting(),
      });
      const mine = candidates.find((c) => c.claim?.userId === userId && c.claim.expiresAt > now);
      const pick = mine ?? candidates.find((c) => !c.claim || c.claim.expiresAt <= now);
      if (!pick) return undefined;
      claim(db, pick.submissionId, userId, now);
      return pick.submissionId;
    })
    .immediate();
}
