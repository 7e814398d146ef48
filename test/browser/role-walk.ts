/**
 * One role's walk over every page it can open, at a phone's and a laptop's width: the body of each
 * `every-page-<role>.test.ts` (one file per role, so vitest runs the roles side by side). One server,
 * one seeded course and one signed-in browser context per file; no re-seeding between pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { useBrowserApp } from "../helpers/browser";
import { seedCourse, type Role, type SeededCourse } from "./course-fixture";
import { pagesFor } from "./app-pages";
import { expectNoFindings, noFindings, roleContext, widths, walkPages } from "./page-checks";

export function describeRoleWalk(role: Role): void {
  const app = useBrowserApp({ env: { GRADER_WORKERS: "1" }, timeout: 600_000 });
  let seeded: SeededCourse | undefined;
  let context: BrowserContext;
  let page: Page;
  let paths: string[];

  beforeAll(async () => {
    // Anonymous visitors see no course data, so their file need not grade code to build it.
    seeded = role === "anonymous" ? undefined : await seedCourse(app.t);
    paths = pagesFor(
      app.t.app,
      app.t.course,
      seeded ?? { submissionIds: [], studentSubmissionIds: [], rampDayIds: [] },
      role,
    );
    ({ context, page } = await roleContext(
      app.browser,
      app.url,
      seeded && role !== "anonymous" ? seeded.people[role] : undefined,
    ));
  }, 600_000);
  // Runs before the app's own afterAll closes the browser (afterAll hooks run in reverse).
  afterAll(() => context?.close());

  describe(`every page a${role === "anonymous" ? "n" : ""} ${role} can open`, () => {
    for (const width of widths) {
      it(`at ${width} px: no serious or critical axe-core violation, nothing scrolls sideways`, async () => {
        expect(paths.length).toBeGreaterThan(0);
        const found = noFindings();
        await walkPages(page, app.url, paths, found, [width]);
        expectNoFindings(found);
      }, 1_200_000);
    }
  });
}
