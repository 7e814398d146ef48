/**
 * A student opens an exercise from the (fake) LMS in a real browser: inside the LMS's iframe the
 * browser keeps no cookie for the cross-site tool, so Flagship offers a new window; there the launch
 * signs them in on the exercise, they submit, and the score arrives at the LMS's AGS endpoint. The
 * pages only a launch reaches (the new-window offer, a refusal, the deep-linking picker) get the
 * checks every other page gets (page-checks.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowserApp } from "../helpers/browser";
import { FakePlatform, ROLE } from "../helpers/fake-platform";
import { platformInputSchema, savePlatform } from "../../server/lti/platforms";
import { LtiOutboxSender } from "../../server/lti/outbox-sender";
import { createLogger } from "../../server/logger";
import { until } from "../server/lti/launch-helpers";
import { checkOpenPage, expectNoFindings, noFindings, widths } from "./page-checks";

let platform: FakePlatform;

// Registered before the app's hooks, so it runs after the app has closed (afterAll runs in reverse).
afterAll(() => platform?.close());
const app = useBrowserApp({ timeout: 300_000 });
beforeAll(async () => {
  // "localhost" against the app's 127.0.0.1: another site, as an LMS is.
  platform = await FakePlatform.start("localhost");
  platform.toolJwksUrl = `${app.url}/lti/jwks`;
  savePlatform(app.t.db, platformInputSchema.parse(platform.registration));
  platform.users.set("stu", {
    sub: "lms-student-9",
    name: "Lin Student",
    email: "lin@school.edu",
    roles: [ROLE.learner],
  });
  platform.users.set("ins", {
    sub: "lms-instructor-9",
    name: "Ida Instructor",
    email: "ida@school.edu",
    roles: [ROLE.instructor],
  });
  platform.links.set("md", { kind: "resource", id: "link-md", custom: { flagship_exercise: "mock-drift" } });
  platform.links.set("dl", { kind: "deep-linking", id: "link-dl" });
}, 300_000);

describe("launching from the LMS in a browser", () => {
  it(
    "falls back to a new window from the iframe, lands on the exercise, and the score reaches the LMS",
    { timeout: 300_000 },
    async () => {
      const context = await app.browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      const login = `${app.url}/lti/login?${platform.loginQuery("stu", "md", app.url)}`;
      await page.goto(`${platform.url}/course-page?src=${encodeURIComponent(login)}`);

      const frame = page.frameLocator("#tool");
      const open = frame.getByRole("link", { name: "Open Flagship in a new window" });
      await open.waitFor();
      const [popup] = await Promise.all([context.waitForEvent("page"), open.click()]);
      popup.setDefaultTimeout(60_000);
      await popup.waitForURL(`${app.url}/exercises/mock-drift`);
      expect(await popup.locator(".who").textContent()).toContain("Lin Student");

      const choices: Record<string, string> = {
        "f-scenarios-passMismatch": "compatible",
        "f-scenarios-failMismatch": "incompatible",
        "f-scenarios-failMatch": "own-code",
        "f-scenarios-newFieldRead": "missing-coverage",
        "f-scenarios-newFieldForwarded": "pass-through",
        "f-scenarios-allMatch": "nothing",
        "f-worstCase": "pass-through",
        "f-detectDrift": "run-unmocked",
        "f-flakyCause": "slow-machine",
      };
      for (const [id, value] of Object.entries(choices)) await popup.locator(`#${id}`).selectOption(value);
      await popup.getByRole("button", { name: "Submit for grading" }).click();
      await popup.waitForURL(/\/submissions\/\d+$/);

      const sender = new LtiOutboxSender(app.t.db, app.t.course, {
        intervalMs: 60_000,
        retry: { baseMs: 100, maxMs: 1000 },
        logger: createLogger("silent"),
      });
      await until("the score at the LMS", async () => {
        await sender.tick();
        return platform.scores.length > 0;
      });
      await sender.stop();
      const score = app.t.db
        .prepare("SELECT score, max_score FROM submissions WHERE exercise_id = 'mock-drift'")
        .get() as {
        score: number;
        max_score: number;
      };
      expect(platform.scores).toEqual([
        expect.objectContaining({ userId: "lms-student-9", scoreGiven: score.score, scoreMaximum: score.max_score }),
      ]);
      await context.close();
    },
  );

  it(
    "the new-window offer, a refused launch and the deep-linking picker pass the page checks on a phone and a laptop",
    { timeout: 300_000 },
    async () => {
      const found = noFindings();
      const context = await app.browser.newContext({ viewport: { width: widths[0], height: 844 } });
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);

      // The offer as the LMS's iframe shows it; re-served at the tool's own address, so the checks run
      // on it as on any page (axe does not look inside the LMS's cross-site frame).
      const login = `${app.url}/lti/login?${platform.loginQuery("stu", "md", app.url)}`;
      await page.goto(`${platform.url}/course-page?src=${encodeURIComponent(login)}`);
      await page.frameLocator("#tool").getByRole("link", { name: "Open Flagship in a new window" }).waitFor();
      const frame = page.frames().find((f) => f.url().startsWith(`${app.url}/lti/continue/`));
      if (!frame) throw new Error("the launch did not end on /lti/continue in the frame");
      const offer = await frame.content();
      const continued = frame.url();
      await page.route(`${app.url}/offer-as-framed`, (route) =>
        route.fulfill({ contentType: "text/html", body: offer }),
      );

      // An instructor's deep-linking launch, in a window of its own, ends on the picker.
      await page.goto(`${app.url}/lti/login?${platform.loginQuery("ins", "dl", app.url)}`);
      await page.waitForURL(/\/admin\/lti\/deep-linking\/[\w-]+$/);
      const picker = page.url();
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBeTruthy();

      for (const width of widths) {
        await page.setViewportSize({ width, height: 844 });
        await page.goto(`${app.url}/offer-as-framed`);
        expect(await page.getByRole("link", { name: "Open Flagship in a new window" }).count()).toBe(1);
        await checkOpenPage(page, "lti/new-window", found);
        // Outside the frame the same launch has no cookie tying it to anyone: refused, saying why.
        const refused = await page.goto(continued);
        expect(refused?.status()).toBe(400);
        expect(await page.locator("main").textContent()).toContain("did not keep the cookie");
        await checkOpenPage(page, "lti/refused", found);
        expect((await page.goto(picker))?.status()).toBe(200);
        await checkOpenPage(page, "lti/deep-linking", found);
      }
      expectNoFindings(found);
      await context.close();
    },
  );
});
