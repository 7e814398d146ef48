/**
 * Saves a full-page screenshot of every page each role can open, at 390 and 1280 px, into
 * screenshots/<role>/<width>/ (git-ignored), for a person to look at: `npm run screenshots`.
 * SCREENSHOT_ROLES=student,ta limits the roles. The pages are the ones the browser checks walk
 * (test/browser/app-pages.ts), on the same seeded course, plus the rollout-plan form with a full plan.
 */
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readDataFile } from "../../grader/exercises";
import { saveDraft } from "../../server/submissions/drafts";
import { useBrowserApp } from "../helpers/browser";
import { seedCourse, type Role, type SeededCourse } from "../browser/course-fixture";
import { pagesFor } from "../browser/app-pages";
import { roleContext, widths } from "../browser/page-checks";

const outDir = join(process.cwd(), "screenshots");
const roles = (process.env.SCREENSHOT_ROLES?.split(",") ?? ["anonymous", "student", "ta", "instructor"]) as Role[];

const app = useBrowserApp({ env: { GRADER_WORKERS: "1" }, timeout: 600_000 });
let seeded: SeededCourse;

beforeAll(async () => {
  seeded = await seedCourse(app.t);
  rmSync(outDir, { recursive: true, force: true });
}, 600_000);

/** "/staff/submissions/12" -> "staff-submissions-12"; the course home is "home". */
const fileName = (path: string) => (path === "/" ? "home" : path.slice(1).replace(/[^a-z0-9]+/gi, "-"));

describe("screenshots", () => {
  for (const role of roles) {
    it(`every page ${role === "anonymous" ? "an anonymous visitor" : `a${role === "instructor" ? "n" : ""} ${role}`} can open, at ${widths.join(" and ")} px`, async () => {
      const paths = pagesFor(app.t.app, app.t.course, seeded, role);
      const person = role === "anonymous" ? undefined : seeded.people[role];
      if (role === "student") {
        // The rollout-plan form as a student comes back to it with a whole plan drafted.
        const reference = await readDataFile("exercises/rollout-plan/reference.yaml");
        if (!reference.ok) throw new Error(reference.issue.message);
        saveDraft(app.t.db, seeded.people.student.id, "rollout-plan", reference.data);
      }
      const { context, page } = await roleContext(app.browser, app.url, person);
      try {
        for (const width of widths) {
          const dir = join(outDir, role, String(width));
          mkdirSync(dir, { recursive: true });
          await page.setViewportSize({ width, height: 844 });
          for (const path of paths) {
            const res = await page.goto(`${app.url}${path}`);
            expect(res?.status(), path).toBe(200);
            const file = join(dir, `${fileName(path)}.png`);
            await page.screenshot({ path: file, fullPage: true });
            expect(statSync(file).size, file).toBeGreaterThan(0);
          }
        }
        console.log(`${role}: ${paths.length} pages at ${widths.length} widths in ${join(outDir, role)}`);
      } finally {
        await context.close();
      }
    });
  }
});
