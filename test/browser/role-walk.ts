/**
 * One role's walk over every page it can open, at a phone's and a laptop's width: the body of each
 * `every-page-<role>.test.ts` (one file per role, so vitest runs the roles side by side). One server,
 * one seeded course and one signed-in browser context per file; no re-seeding between pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { startBrowserApp } from "../helpers/browser";
import { seedCourse, type Role, type SeededCourse } from "./course-fixture";
import { pagesFor } from "./app-pages";
import { expectNoFindings, noFindings, roleContext, widths, walkPages } from "./page-checks";

export function describeRoleWalk(role: Role): void {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let seeded: SeededCourse | undefined;
  let context: BrowserContext;
  let page: Page;
  let paths: string[];

  beforeAll(async () => {
    env = await startBrowserApp({ GRADER_WORKERS: "1" });
    // Anonymous visitors see no course data, so their file need not grade code to build it.
    seeded = role === "anonymous" ? undefined : await seedCourse(env.t);
    paths = pagesFor(
      env.t.app,
      env.t.course,
      seeded ?? { submissionIds: [], studentSubmissionIds: [], rampDayIds: [] },
      role,
    );
    ({ context, page } = await roleContext(
      env.browser,
      env.url,
      seeded && role !== "anonymous" ? seeded.people[role] : undefined,
    ));
  }, 600_000);
  afterAll(async () => {
    await context?.close();
    await env?.close();
  });

  describe(`every page a${role === "anonymous" ? "n" : ""} ${role} can open`, () => {
    for (const width of widths) {
      it(`at ${width} px: no serious or critical axe-core violation, nothing scrolls sideways`, async () => {
        expect(paths.length).toBeGreaterThan(0);
        const found = noFindings();
        await walkPages(page, env.url, paths, found, [width]);
        expectNoFindings(found);
      }, 1_200_000);
    }
  });
}
