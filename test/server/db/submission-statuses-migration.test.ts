/**
 * The migration that widens submissions.status rebuilds the table (SQLite changes a CHECK no other
 * way). On a real file holding data from before it: every row and column survives, the indexes are
 * back, the tables that reference submissions still do, and foreign keys are on again afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../../server/db/database";
import { migrations } from "../../../server/db/migrations";

const rebuild = "20261206_0301_submission_retries_regrades";
const dir = mkdtempSync(join(tmpdir(), "flagship-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the submission statuses migration", () => {
  it("keeps every row, index and reference, and allows the new statuses", () => {
    const file = join(dir, "old.db");
    const before = migrations.filter((m) => m.id < rebuild);
    const db = openDatabase(file, before);
    db.exec(`
      INSERT INTO users (id, email, name, role, password_hash) VALUES (1, 's@example.edu', 'S', 'student', 'x'), (2, 't@example.edu', 'T', 'ta', 'x');
      INSERT INTO submissions (id, user_id, exercise_id, answer, status, result, score, max_score, created_at, started_at, graded_at, worker_id, attempts_run, late_days, late_penalty)
        VALUES (1, 1, 'rollout-plan', '{"a":1}', 'graded', '{"status":"graded"}', 20, 22, '2026-11-30T10:00:00.000Z', '2026-11-30T10:00:01.000Z', '2026-11-30T10:00:02.000Z', NULL, 1, 2, 4.4),
               (2, 1, 'checkout-fallbacks', '{"code":"x"}', 'queued', NULL, NULL, NULL, '2026-11-30T11:00:00.000Z', NULL, NULL, 'w1', 2, 0, 0),
               (3, 1, 'checkout-fallbacks', '{"code":"y"}', 'superseded', NULL, NULL, NULL, '2026-11-30T12:00:00.000Z', NULL, NULL, NULL, 0, 0, 0);
      INSERT INTO regrade_history (submission_id, old_score, new_score, regraded_by) VALUES (1, 18, 20, 2);
      INSERT INTO manual_marks (submission_id, item_id, applied_by) VALUES (1, 'item', 2);
      INSERT INTO grade_audit (submission_id, actor_id, action, before_score, after_score) VALUES (1, 2, 'item_applied', 20, 21);
    `);
    const rowsBefore = db.prepare("SELECT * FROM submissions ORDER BY id").all();
    db.close();

    // Up to this migration only: later ones add columns of their own.
    const upToRebuild = migrations.filter((m) => m.id <= rebuild);
    const after = openDatabase(file, upToRebuild);
    expect(after.prepare("SELECT id FROM schema_migrations WHERE id = ?").pluck().get(rebuild)).toBe(rebuild);
    const rowsAfter = after.prepare("SELECT * FROM submissions ORDER BY id").all() as Record<string, unknown>[];
    expect(rowsAfter).toEqual(
      (rowsBefore as Record<string, unknown>[]).map((r) => ({
        ...r,
        retry_at: null,
        infra_retries: 0,
        infra_error: null,
        regrade_pending_by: null,
      })),
    );
    const indexes = after
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'submissions' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all();
    expect(indexes).toEqual(["submissions_queue", "submissions_retry_at", "submissions_user_exercise"]);
    expect(after.prepare("SELECT count(*) FROM regrade_history WHERE submission_id = 1").pluck().get()).toBe(1);
    expect(after.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(after.pragma("foreign_key_check")).toEqual([]);
    // References still point at the rebuilt table, and are enforced.
    expect(() =>
      after.prepare("INSERT INTO manual_marks (submission_id, item_id, applied_by) VALUES (99, 'item', 2)").run(),
    ).toThrow(/FOREIGN KEY/);
    after.prepare("UPDATE submissions SET status = 'infrastructure_error' WHERE id = 2").run();
    after.prepare("UPDATE submissions SET status = 'compile_error' WHERE id = 3").run();
    expect(() => after.prepare("UPDATE submissions SET status = 'nonsense' WHERE id = 3").run()).toThrow(/CHECK/);
    // Applying the list again changes nothing.
    expect(migrate(after, upToRebuild)).toEqual([]);
    after.close();
  });
});
