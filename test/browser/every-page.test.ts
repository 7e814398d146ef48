/**
 * Every page, for every role, in a real browser against a course with real data in it, on a phone's
 * width (390 px): axe-core finds no serious or critical accessibility violation, and no page scrolls
 * sideways (long content wraps or scrolls inside a box of its own). One server, one browser, one visit
 * per page for both checks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import type { TestApp } from "../helpers/app";
import { signInPage, startBrowserApp } from "../helpers/browser";
import { seedCourse, type Role, type SeededCourse } from "./course-fixture";
import { pagesFor } from "./app-pages";

let env: Awaited<ReturnType<typeof startBrowserApp>>;
let t: TestApp;
let browser: Browser;
let url: string;
let seeded: SeededCourse;

beforeAll(async () => {
  env = await startBrowserApp({ GRADER_WORKERS: "1" });
  ({ t, browser, url } = env);
  seeded = await seedCourse(t);
}, 180_000);
afterAll(() => env?.close());

const roles: Role[] = ["anonymous", "student", "ta", "instructor"];

/**
 * What one role's pass visits: the pages it may open that a less privileged role cannot (a page
 * such as a lecture module renders the same for everyone but the navigation), its course home (which
 * carries its navigation), and every submission page it sees from its own point of view (the owner's
 * page and the staff view of someone else's differ).
 */
function visitsOf(role: Role): string[] {
  const all = pagesFor(t.app, t.course, seeded, role);
  const lesser = roles[roles.indexOf(role) - 1];
  if (!lesser || lesser === "anonymous") return all;
  const seen = new Set(pagesFor(t.app, t.course, seeded, lesser));
  const theirs = new Set(seeded.studentSubmissionIds.map((id) => `/submissions/${id}`));
  return all.filter((p) => p === "/" || !seen.has(p) || (p.startsWith("/submissions/") && !theirs.has(p) && role === "ta"));
}

/** Rules axe leaves off by default that the issue named; minor ones it found are held to as well. */
const extraRules = { "label-content-name-mismatch": { enabled: true } };
const alsoFailing = new Set(["empty-table-header", "label-content-name-mismatch"]);

describe("every page, every role, at 390 px", () => {
  for (const role of roles) {
    it(`${role}: no page has a serious or critical axe-core violation or scrolls sideways`, async () => {
      const paths = visitsOf(role);
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      if (role !== "anonymous") {
        const login = await context.newPage();
        await signInPage(login, url, seeded.people[role].email, seeded.people[role].password);
        await login.close();
      }
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const axeProblems: string[] = [];
      const timing: Array<[string, string, number]> = [];
      const overflow: string[] = [];
      try {
        for (const path of paths) {
          const t0 = Date.now();
          const res = await page.goto(`${url}${path}`);
          timing.push([path, "load", Date.now() - t0]);
          if (res?.status() !== 200) {
            axeProblems.push(`${path}: answered ${res?.status()}`);
            continue;
          }
          const wide = await page.evaluate(() => {
            // What a toggle hides must fit too once opened (a counterexample's timeline, its raw JSON).
            for (const d of document.querySelectorAll("details")) d.open = true;
            const innerWidth = window.innerWidth;
            if (document.documentElement.scrollWidth <= innerWidth) return undefined;
            // Name where the overflow starts: an element sticking out past the viewport, not clipped by
            // a scrolling box, whose parent stays inside. That is where to look.
            const clipped = (el: Element) => {
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
              return false;
            };
            const culprits: string[] = [];
            for (const el of document.body.querySelectorAll("*")) {
              const right = el.getBoundingClientRect().right;
              const parentRight = el.parentElement?.getBoundingClientRect().right ?? 0;
              if (right > innerWidth && parentRight <= innerWidth && !clipped(el) && culprits.length < 3) {
                const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
                culprits.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} (to ${Math.round(right)} px)`);
              }
            }
            return `${document.documentElement.scrollWidth} px wide; starts at: ${culprits.join(", ") || "?"}`;
          });
          if (wide) overflow.push(`${path}: ${wide}`);
          const t1 = Date.now();
          // Legacy mode runs axe in the page itself instead of opening a blank page per analysis (half
          // the time; the app has no cross-origin frames), and only violations get full node details.
          const results = await new AxeBuilder({ page }).setLegacyMode(true).options({ rules: extraRules, resultTypes: ["violations"] }).analyze();
          timing.push([path, "axe", Date.now() - t1]);
          for (const v of results.violations) {
            if (v.impact !== "serious" && v.impact !== "critical" && !alsoFailing.has(v.id)) continue;
            const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
            axeProblems.push(`${path}: ${v.id} (${v.impact}) ${v.help} at ${where}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ""}`);
          }
        }
      } finally {
        await context.close();
      }
      if (process.env.PAGE_TIMING) console.log(role, paths.length, "pages", "load", timing.filter((x) => x[1] === "load").reduce((a, x) => a + x[2], 0), "axe", timing.filter((x) => x[1] === "axe").reduce((a, x) => a + x[2], 0), JSON.stringify([...timing].sort((a, b) => b[2] - a[2]).slice(0, 8)));
      expect(paths.length).toBeGreaterThan(0);
      expect.soft(axeProblems, axeProblems.join("\n")).toEqual([]);
      expect.soft(overflow, overflow.join("\n")).toEqual([]);
    }, 600_000);
  }
});
