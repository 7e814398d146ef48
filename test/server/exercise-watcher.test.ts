import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCourse } from "../../server/course";
import { createLogger } from "../../server/logger";
import { watchExercises } from "../../server/exercise-watcher";

const dir = mkdtempSync(join(tmpdir(), "flagship-watch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("watching exercise files in development", () => {
  it("reloads the course after a burst of file changes, and offers no regrade for a title change", async () => {
    cpSync(join("exercises", "rollout-plan"), join(dir, "rollout-plan"), { recursive: true });
    const course = await loadCourse({ contentDir: "content", exercisesDir: dir });
    const watcher = watchExercises(course, createLogger("silent"), 100);
    expect(watcher).toBeDefined();
    try {
      const manifest = join(dir, "rollout-plan", "exercise.yaml");
      const text = readFileSync(manifest, "utf8");
      const renamed = text.replace(/^title: .*$/m, "title: Renamed while watching");
      for (let i = 0; i < 3; i++) writeFileSync(manifest, renamed);
      await expect
        .poll(() => course.exerciseById("rollout-plan")?.exercise.title, { timeout: 5000 })
        .toBe("Renamed while watching");
      // A title is not grading: no regrade offered.
      expect(course.changedSinceRegrade.has("rollout-plan")).toBe(false);
      writeFileSync(manifest, renamed.replace(/^maxAttempts: \d+$/m, "maxAttempts: 9"));
      await expect.poll(() => course.exerciseById("rollout-plan")?.exercise.maxAttempts, { timeout: 5000 }).toBe(9);
    } finally {
      watcher?.close();
    }
  });
});
