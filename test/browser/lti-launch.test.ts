/**
 * A student opens an exercise from the (fake) LMS in a real browser: inside the LMS's iframe the
 * browser keeps no cookie for the cross-site tool, so Flagship offers a new window; there the launch
 * signs them in on the exercise, they submit, and the score arrives at the LMS's AGS endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowserApp } from "../helpers/browser";
import { FakePlatform, ROLE } from "../helpers/fake-platform";
import { platformInputSchema, savePlatform } from "../../server/lti/platforms";
import { LtiOutboxSender } from "../../server/lti/outbox-sender";
import { createLogger } from "../../server/logger";
import { until } from "../server/lti/launch-helpers";

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
  platform.links.set("md", { kind: "resource", id: "link-md", custom: { flagship_exercise: "mock-drift" } });
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
});
